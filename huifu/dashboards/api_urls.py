from django.urls import path

from . import api

urlpatterns = [
    path("dashboards/<str:view>/", api.DashboardView.as_view(), name="api-dashboards"),
]
