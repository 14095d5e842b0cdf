from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "huifu.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import permissions, schema, signals  # noqa: F401

        signals.connect()
