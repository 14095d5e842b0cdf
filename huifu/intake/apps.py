from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "huifu.intake"
    label = "intake"
