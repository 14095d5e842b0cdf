from django.urls import path

from . import api

urlpatterns = [
    path("awards/evaluations/", api.AwardEvaluationListView.as_view(), name="api-award-evaluation-list"),
    path("awards/evaluations/<int:pk>/", api.AwardEvaluationDetailView.as_view(), name="api-award-evaluation-detail"),
    path("awards/evaluations/<int:pk>/results/", api.AwardResultListView.as_view(), name="api-award-result-list"),
    path(
        "awards/evaluations/<int:pk>/objections/",
        api.AwardObjectionListView.as_view(),
        name="api-award-objection-list",
    ),
    path(
        "awards/objections/<int:pk>/decide/", api.AwardObjectionDecideView.as_view(), name="api-award-objection-decide"
    ),
    path("awards/winners/", api.AwardWinnerListView.as_view(), name="api-award-winner-list"),
]
