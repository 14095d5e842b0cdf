from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PublicSiteConfig(AppConfig):
    name = "huifu.publicsite"
    label = "publicsite"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from huifu.core.identity import invalidate
        from huifu.files import access
        from huifu.hotline.models import HotlineSetting

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .models import SiteIdentity

        # The cached identity (huifu.core.identity) is forgotten when its data changes.
        for model in (SiteIdentity, HotlineSetting):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"identity-{model.__name__}-save")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"identity-{model.__name__}-delete")
        # The logo is public: the public site shows it to anyone (served by publicsite:logo).
        access.register(LOGO_PURPOSE, lambda user, stored: True)


LOGO_PURPOSE = "exchange_logo"
# The menu entry of the identity page (huifu/core/navigation.py), translated in this app.
NAV_LABEL = pgettext_lazy("nav", "Exchange identity")
