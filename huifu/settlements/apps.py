from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementsConfig(AppConfig):
    name = "huifu.settlements"
    label = "settlements"
    verbose_name = _("Fee-reduction settlements")

    def ready(self) -> None:
        from . import permissions  # noqa: F401
