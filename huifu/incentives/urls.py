from django.urls import path

from . import views

app_name = "incentives"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/status/", views.project_status, name="project_status"),
    path("projects/<int:pk>/rules/new/", views.rule_edit, name="rule_add"),
    path("projects/<int:pk>/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("projects/<int:pk>/rules/<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("projects/<int:pk>/apply/", views.participation_apply, name="participation_apply"),
    path("participations/", views.participation_list, name="participation_list"),
    path("participations/<int:pk>/", views.participation_detail, name="participation_detail"),
    path("participations/<int:pk>/report/", views.participation_report, name="participation_report"),
    path("participations/<int:pk>/results/", views.participation_results, name="participation_results"),
    path("participations/<int:pk>/closing/", views.participation_closing, name="participation_closing"),
    path("participations/<int:pk>/withdraw/", views.participation_withdraw, name="participation_withdraw"),
    path("participations/<int:pk>/review/", views.participation_review, name="participation_review"),
    path("participations/<int:pk>/accept/", views.participation_accept, name="participation_accept"),
    path(
        "participations/<int:pk>/closing-review/",
        views.participation_closing_review,
        name="participation_closing_review",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
]
