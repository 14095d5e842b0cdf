from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "huifu.outbox"
    label = "outbox"
