from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "huifu.events"
    label = "events"
    verbose_name = _("Investor education events")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
