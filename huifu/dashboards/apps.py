from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DashboardsConfig(AppConfig):
    name = "huifu.dashboards"
    label = "dashboards"
    verbose_name = pgettext_lazy("dashboards", "Dashboards")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
