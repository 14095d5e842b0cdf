from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "huifu.hotline"
    label = "hotline"
    verbose_name = _("Hotline")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
