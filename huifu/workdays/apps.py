from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "huifu.workdays"
    label = "workdays"
