from django.apps import AppConfig


class SettlementsConfig(AppConfig):
    name = "huifu.settlements"
    label = "settlements"
