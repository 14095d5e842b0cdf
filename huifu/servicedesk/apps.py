from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "huifu.servicedesk"
    label = "servicedesk"
