from django.urls import path

from . import api

urlpatterns = [
    path("deepening/plans/", api.PlanListView.as_view(), name="api-deepening-plan-list"),
    path("deepening/plans/<int:pk>/", api.PlanDetailView.as_view(), name="api-deepening-plan-detail"),
    path("deepening/plans/<int:pk>/notes/", api.PlanNotesView.as_view(), name="api-deepening-plan-notes"),
    path("deepening/plans/<int:pk>/<slug:action>/", api.PlanActionView.as_view(), name="api-deepening-plan-action"),
    path("deepening/enterprises/", api.ProfileListView.as_view(), name="api-deepening-profile-list"),
    path("deepening/enterprises/<int:pk>/", api.ProfileDetailView.as_view(), name="api-deepening-profile-detail"),
]
