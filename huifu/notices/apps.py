from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "huifu.notices"
    label = "notices"
