from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "huifu.cases"
    label = "cases"
