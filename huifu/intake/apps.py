from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "huifu.intake"
    label = "intake"
    verbose_name = _("Mail and Word intake")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
