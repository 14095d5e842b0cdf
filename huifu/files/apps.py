from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "huifu.files"
    label = "files"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
