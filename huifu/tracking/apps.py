from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "huifu.tracking"
    label = "tracking"
