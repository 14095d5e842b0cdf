from django.urls import path

from . import api

urlpatterns = [
    path("notices/", api.NoticeListView.as_view(), name="api-notice-list"),
    path("notices/<int:pk>/", api.NoticeDetailView.as_view(), name="api-notice-detail"),
    path("notices/<int:pk>/read/", api.NoticeReadView.as_view(), name="api-notice-read"),
    path("notices/<int:pk>/publish/", api.NoticePublishView.as_view(), name="api-notice-publish"),
    path("notices/<int:pk>/withdraw/", api.NoticeWithdrawView.as_view(), name="api-notice-withdraw"),
    path("notices/<int:pk>/read-status/", api.NoticeReadStatusView.as_view(), name="api-notice-read-status"),
]
