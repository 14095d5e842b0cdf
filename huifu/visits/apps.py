from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "huifu.visits"
    label = "visits"
    verbose_name = _("Visits")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import visit_file_readable
        from .services import VISIT_INVITATION_PURPOSE, VISIT_LETTER_PURPOSE

        file_access.register(VISIT_LETTER_PURPOSE, visit_file_readable)
        file_access.register(VISIT_INVITATION_PURPOSE, visit_file_readable)
