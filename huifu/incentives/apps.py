from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "huifu.incentives"
    label = "incentives"
