from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AwardsConfig(AppConfig):
    name = "huifu.awards"
    label = "awards"
    verbose_name = pgettext_lazy("awards", "Awards")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules permissions)
