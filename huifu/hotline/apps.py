from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "huifu.hotline"
    label = "hotline"
