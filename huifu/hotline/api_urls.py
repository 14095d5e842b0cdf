from django.urls import path

from . import api

urlpatterns = [
    path("hotline/number/", api.HotlineNumberView.as_view(), name="api-hotline-number"),
    path("hotline/calls/", api.CallListView.as_view(), name="api-hotline-call-list"),
    path("hotline/calls/<int:pk>/", api.CallDetailView.as_view(), name="api-hotline-call-detail"),
    path("hotline/calls/<int:pk>/follow-up/", api.CallFollowUpView.as_view(), name="api-hotline-call-follow-up"),
]
