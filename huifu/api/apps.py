from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "huifu.api"
    label = "api"
