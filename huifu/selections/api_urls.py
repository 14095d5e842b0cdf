from django.urls import path

from . import api

urlpatterns = [
    path("selections/applications/", api.ApplicationListView.as_view(), name="api-selections-list"),
    path("selections/applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="api-selections-detail"),
    path("selections/applications/<int:pk>/scores/", api.ScoreView.as_view(), name="api-selections-scores"),
]
