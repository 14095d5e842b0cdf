from django.urls import path

from . import api

urlpatterns = [
    path("visits/", api.VisitListView.as_view(), name="api-visit-list"),
    path("visits/<int:pk>/", api.VisitDetailView.as_view(), name="api-visit-detail"),
    path("visits/<int:pk>/arrange/", api.VisitArrangeView.as_view(), name="api-visit-arrange"),
    path("visits/<int:pk>/confirm/", api.VisitConfirmView.as_view(), name="api-visit-confirm"),
    path("visits/<int:pk>/change/", api.VisitChangeView.as_view(), name="api-visit-change"),
    path("visits/<int:pk>/hold/", api.VisitHoldView.as_view(), name="api-visit-hold"),
    path("visits/<int:pk>/cancel/", api.VisitCancelView.as_view(), name="api-visit-cancel"),
]
