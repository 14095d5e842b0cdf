from django.apps import AppConfig


class DeepeningConfig(AppConfig):
    name = "huifu.deepening"
    label = "deepening"
