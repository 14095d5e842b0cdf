from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SelectionsConfig(AppConfig):
    name = "huifu.selections"
    label = "selections"
    verbose_name = pgettext_lazy("selection", "Excellent analyst selection")
