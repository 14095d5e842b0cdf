from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "huifu.events"
    label = "events"
    verbose_name = _("Investor education events")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import event_ics_readable
        from .services import EVENT_ICS_PURPOSE

        file_access.register(EVENT_ICS_PURPOSE, event_ics_readable)

        from .selectors_materials import MATERIAL_PURPOSE, material_file_readable

        file_access.register(MATERIAL_PURPOSE, material_file_readable)

        from huifu.outbox import rendered

        from .tickets import TICKET_ATTACHMENT, ticket_png_attachment

        rendered.register(TICKET_ATTACHMENT, ticket_png_attachment)
