from django.urls import path

from . import api

urlpatterns = [
    path("incentives/projects/", api.ProjectListView.as_view(), name="api-incentive-project-list"),
    path("incentives/projects/<int:pk>/", api.ProjectDetailView.as_view(), name="api-incentive-project-detail"),
    path("incentives/participations/", api.ParticipationListView.as_view(), name="api-participation-list"),
    path("incentives/participations/<int:pk>/", api.ParticipationDetailView.as_view(), name="api-participation-detail"),
    path(
        "incentives/participations/<int:pk>/review/",
        api.ParticipationReviewView.as_view(),
        name="api-participation-review",
    ),
    path(
        "incentives/participations/<int:pk>/accept/",
        api.ParticipationAcceptView.as_view(),
        name="api-participation-accept",
    ),
]
