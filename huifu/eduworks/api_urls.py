from django.urls import path

from . import api

urlpatterns = [
    path("eduworks/works/", api.WorkListView.as_view(), name="api-eduworks-list"),
    path("eduworks/works/<int:pk>/", api.WorkDetailView.as_view(), name="api-eduworks-detail"),
    path("eduworks/works/<int:pk>/reach/", api.ReachCreateView.as_view(), name="api-eduworks-reach"),
]
