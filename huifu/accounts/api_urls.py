from django.urls import path

from . import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("users/", api.UserListApi.as_view(), name="api-user-list"),
    path("users/<int:user_id>/", api.UserDetailApi.as_view(), name="api-user-detail"),
    path("users/<int:user_id>/deactivate/", api.UserDeactivateApi.as_view(), name="api-user-deactivate"),
    path("users/<int:user_id>/reactivate/", api.UserReactivateApi.as_view(), name="api-user-reactivate"),
    path("tokens/", api.TokenListApi.as_view(), name="api-token-list"),
    path("tokens/<int:token_id>/", api.TokenDetailApi.as_view(), name="api-token-detail"),
]
