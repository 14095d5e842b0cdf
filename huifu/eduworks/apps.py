from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class EduworksConfig(AppConfig):
    name = "huifu.eduworks"
    label = "eduworks"
    verbose_name = pgettext_lazy("eduworks", "Educational works")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import work_file_readable
        from .services import WORK_FILE_PURPOSE

        file_access.register(WORK_FILE_PURPOSE, work_file_readable)
