from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "huifu.budget"
    label = "budget"
