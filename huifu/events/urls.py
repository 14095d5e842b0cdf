from django.urls import path

from . import views, views_attendance, views_desk, views_followup, views_speakers

app_name = "events"
urlpatterns = [
    # Public pages: anyone, no login (published sessions only).
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("public/<int:pk>.ics", views.public_session_ics, name="public_session_ics"),
    path("public/series/<int:pk>.ics", views.public_series_ics, name="public_series_ics"),
    # Management (staff; co-organisers for their sessions).
    path("", views.session_list, name="session_list"),
    path("series/", views.series_list, name="series_list"),
    path("series/new/", views.series_edit, name="series_create"),
    path("series/<int:pk>/", views.series_plan, name="series_plan"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("speakers/", views_speakers.speaker_list, name="speaker_list"),
    path("speakers/<int:pk>/", views_speakers.speaker_detail, name="speaker_detail"),
    path("speakers/<int:pk>/edit/", views_speakers.speaker_edit, name="speaker_edit"),
    path("public/speakers/<int:pk>/", views_speakers.public_speaker, name="public_speaker"),
    path("sessions/<int:pk>/invite/", views_speakers.session_invite, name="session_invite"),
    path("invitations/", views_speakers.my_speaker_invitations, name="my_speaker_invitations"),
    path("invitations/<int:pk>/answer/", views_speakers.invitation_answer, name="speaker_invitation_answer"),
    path("invitations/<int:pk>/withdraw/", views_speakers.invitation_withdraw, name="speaker_invitation_withdraw"),
    path("invitation/<str:token>/", views_speakers.invitation_link, name="speaker_invitation_link"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/publish/", views.session_publish, name="session_publish"),
    path("sessions/<int:pk>/withdraw/", views.session_withdraw, name="session_withdraw"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/desk/", views.session_desk, name="session_desk"),
    path("sessions/<int:pk>/desk/scans/", views_desk.desk_scan, name="desk_scan"),
    path("sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path("sessions/<int:pk>/attendance/", views_attendance.attendance, name="attendance"),
    path(
        "sessions/<int:pk>/attendance/imports/<int:import_id>/",
        views_attendance.attendance_import,
        name="attendance_import",
    ),
    path("sessions/<int:pk>/attendance/rule/", views_attendance.attendance_rule, name="attendance_rule"),
    path("my/", views.my_registrations, name="my_registrations"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/accept/", views.registration_accept, name="registration_accept"),
    path("registrations/<int:pk>/approve/", views.registration_approve, name="registration_approve"),
    path("registrations/<int:pk>/refuse/", views.registration_refuse, name="registration_refuse"),
    # Follow-up: survey (signed token), statistics, a member's participation, series periods.
    path("survey/<str:token>/", views_followup.survey_answer, name="survey_answer"),
    path("surveys/", views_followup.my_surveys, name="my_surveys"),
    path("statistics/", views_followup.statistics_page, name="statistics"),
    path("statistics/export.xlsx", views_followup.statistics_export, name="statistics_export"),
    path("participation/", views_followup.participation, name="participation"),
    path("participation/export.xlsx", views_followup.participation_export, name="participation_export"),
    path("series/<int:pk>/followup/", views_followup.series_followup, name="series_followup"),
]
