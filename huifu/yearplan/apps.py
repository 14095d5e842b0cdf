from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class YearplanConfig(AppConfig):
    name = "huifu.yearplan"
    label = "yearplan"
    verbose_name = pgettext_lazy("yearplan", "Yearly arrangements")
