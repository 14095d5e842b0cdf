from django.urls import path

from . import api

urlpatterns = [
    path("tradingdata/batches/", api.BatchListView.as_view(), name="tradingdata-batches"),
    path("tradingdata/trading-days/", api.TradingDayView.as_view(), name="tradingdata-trading-days"),
]
