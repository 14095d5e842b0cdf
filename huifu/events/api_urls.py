from django.urls import path

from . import api, api_attendance, api_materials

urlpatterns = [
    path("events/sessions/", api.SessionListView.as_view(), name="api-event-session-list"),
    path("events/sessions/<int:pk>/", api.SessionDetailView.as_view(), name="api-event-session-detail"),
    path(
        "events/sessions/<int:pk>/materials/",
        api_materials.SessionMaterialsView.as_view(),
        name="api-event-session-materials",
    ),
    path(
        "events/sessions/<int:pk>/attendance/",
        api_attendance.SessionAttendanceView.as_view(),
        name="api-event-session-attendance",
    ),
    path(
        "events/sessions/<int:pk>/attendance-imports/",
        api_attendance.AttendanceImportCreateView.as_view(),
        name="api-event-attendance-import-create",
    ),
    path(
        "events/attendance-imports/<int:import_id>/",
        api_attendance.AttendanceImportDetailView.as_view(),
        name="api-event-attendance-import-detail",
    ),
    path(
        "events/attendance-imports/<int:import_id>/mapping/",
        api_attendance.AttendanceImportMappingView.as_view(),
        name="api-event-attendance-import-mapping",
    ),
    path(
        "events/attendance-imports/<int:import_id>/confirm/",
        api_attendance.AttendanceImportConfirmView.as_view(),
        name="api-event-attendance-import-confirm",
    ),
]
