from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "huifu.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import notice_file_readable
        from .services import NOTICE_ATTACHMENT_PURPOSE

        file_access.register(NOTICE_ATTACHMENT_PURPOSE, notice_file_readable)
