from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "huifu.core"
    label = "core"
