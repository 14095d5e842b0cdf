from django.apps import AppConfig


class TradingdataConfig(AppConfig):
    name = "huifu.tradingdata"
    label = "tradingdata"
