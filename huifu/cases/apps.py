from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "huifu.cases"
    label = "cases"
    verbose_name = _("Case library")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import case_file_readable
        from .services import CASE_FILE_PURPOSE

        file_access.register(CASE_FILE_PURPOSE, case_file_readable)
