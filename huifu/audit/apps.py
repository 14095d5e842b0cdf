from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "huifu.audit"
    label = "audit"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
