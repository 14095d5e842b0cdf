from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "huifu.directory"
    label = "directory"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)

        try:
            from huifu.files import access as file_access
        except ImportError:  # the files app's access hooks are optional for the directory
            return
        from .xlsx import IMPORT_FILE_PURPOSE

        file_access.register(IMPORT_FILE_PURPOSE, lambda user, stored_file: user.has_perm("directory.import_directory"))
