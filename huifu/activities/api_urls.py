from django.urls import path

from . import api

urlpatterns = [
    path("activities/", api.ActivityListView.as_view(), name="api-activity-list"),
    path("activities/<int:pk>/", api.ActivityDetailView.as_view(), name="api-activity-detail"),
]
