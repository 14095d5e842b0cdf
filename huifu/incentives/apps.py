from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "huifu.incentives"
    label = "incentives"
    verbose_name = _("Incentive projects")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
