from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
