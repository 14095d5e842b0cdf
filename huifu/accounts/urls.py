from django.urls import path

from . import second_factor, views

app_name = "accounts"
urlpatterns = [
    # Before allauth's own view at the same address (huifu/urls.py includes allauth after us):
    # the code step with a limit of wrong codes per pending login.
    path("2fa/authenticate/", second_factor.authenticate, name="totp_authenticate"),
    path("2fa/reauthenticate/", second_factor.reauthenticate, name="totp_reauthenticate"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:user_id>/", views.user_detail_view, name="user_detail"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate_view, name="user_deactivate"),
    path("users/<int:user_id>/reactivate/", views.user_reactivate_view, name="user_reactivate"),
    path("users/<int:user_id>/invite/", views.user_invite_view, name="user_invite"),
    path("organisation/security/", views.org_security, name="org_security"),
]
