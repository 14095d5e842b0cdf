from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradingdataConfig(AppConfig):
    name = "huifu.tradingdata"
    label = "tradingdata"
    verbose_name = _("Trading data")

    def ready(self) -> None:
        from . import permissions  # noqa: F401
