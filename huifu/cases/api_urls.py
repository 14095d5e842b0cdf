from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListView.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", api.CaseDetailView.as_view(), name="api-case-detail"),
]
