from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "huifu.credits"
    label = "credits"
    verbose_name = _("Credit hours")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import EVIDENCE_PURPOSE, evidence_file_readable

        file_access.register(EVIDENCE_PURPOSE, evidence_file_readable)
