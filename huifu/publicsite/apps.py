from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicSiteConfig(AppConfig):
    name = "huifu.publicsite"
    label = "publicsite"
    verbose_name = _("Public site")
