from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServicedeskConfig(AppConfig):
    name = "huifu.servicedesk"
    label = "servicedesk"
    verbose_name = _("Member Voice feedback")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import stored_file_readable
        from .services.common import ICS_PURPOSE, LETTER_PURPOSE, SEAL_PURPOSE

        for purpose in (SEAL_PURPOSE, LETTER_PURPOSE, ICS_PURPOSE):
            file_access.register(purpose, stored_file_readable)

        # The work queue's bulk assignment of a Member Voice item goes through the item itself.
        from huifu.tracking.kinds import register_kind

        from .services.assign import queue_assign
        from .services.common import ITEM_KIND

        register_kind(ITEM_KIND, pgettext_lazy("tracked kind", "Member Voice item"), assign=queue_assign)
