from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "huifu.core"
    label = "core"

    def ready(self) -> None:
        # Each app's home cards (huifu/<app>/home_cards.py) register themselves on import.
        autodiscover_modules("home_cards")
