from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "huifu.outbox"
    label = "outbox"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
