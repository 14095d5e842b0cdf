from django.urls import path

from . import api

urlpatterns = [
    path("events/sessions/", api.SessionListView.as_view(), name="api-event-session-list"),
    path("events/sessions/<int:pk>/", api.SessionDetailView.as_view(), name="api-event-session-detail"),
]
