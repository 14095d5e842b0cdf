from django.urls import path

from . import api, api_materials

urlpatterns = [
    path("events/sessions/", api.SessionListView.as_view(), name="api-event-session-list"),
    path("events/sessions/<int:pk>/", api.SessionDetailView.as_view(), name="api-event-session-detail"),
    path(
        "events/sessions/<int:pk>/materials/",
        api_materials.SessionMaterialsView.as_view(),
        name="api-event-session-materials",
    ),
]
