from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "huifu.directory"
    label = "directory"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
