from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "huifu.visits"
    label = "visits"
