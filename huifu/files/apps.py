from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "huifu.files"
    label = "files"

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django_tasks.signals import task_finished

        from . import (
            permissions,  # noqa: F401  (registers the rules permissions)
            storage,  # noqa: F401  (registers the files.E001 storage check)
        )
        from .services import discard_rolled_back_files

        # Cleanup hooks, removable without breaking anything: an upload whose transaction rolled
        # back leaves no blob behind once the request or job is over.
        request_finished.connect(discard_rolled_back_files, dispatch_uid="files_discard_rolled_back")
        task_finished.connect(discard_rolled_back_files, dispatch_uid="files_discard_rolled_back_task")
