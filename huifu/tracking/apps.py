from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "huifu.tracking"
    label = "tracking"
    verbose_name = _("Work tracking")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
