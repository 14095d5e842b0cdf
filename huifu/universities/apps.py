from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UniversitiesConfig(AppConfig):
    name = "huifu.universities"
    label = "universities"
    verbose_name = _("University cooperation")

    def ready(self) -> None:
        from huifu.files import access as file_access

        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import FILE_PURPOSES, university_file_readable

        for purpose in FILE_PURPOSES:
            file_access.register(purpose, university_file_readable)
