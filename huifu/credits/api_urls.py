from django.urls import path

from . import api

urlpatterns = [
    path("credits/me/", api.MyHoursView.as_view(), name="api-credits-me"),
    path("credits/people/", api.PeopleView.as_view(), name="api-credits-people"),
    path("credits/people/<int:pk>/", api.PersonView.as_view(), name="api-credits-person"),
    path("credits/claims/", api.ClaimListView.as_view(), name="api-credits-claims"),
    path("credits/claims/<int:pk>/decision/", api.ClaimDecisionView.as_view(), name="api-credits-claim-decision"),
    path("credits/rules/", api.RuleListView.as_view(), name="api-credits-rules"),
    path("credits/deferrals/", api.DeferralListView.as_view(), name="api-credits-deferrals"),
]
