from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "huifu.budget"
    label = "budget"
    verbose_name = _("Budget")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import invoice_file_readable
        from .services import INVOICE_PURPOSE

        file_access.register(INVOICE_PURPOSE, invoice_file_readable)
