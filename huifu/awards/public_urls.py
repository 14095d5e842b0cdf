"""Published award winners for anyone, and a certificate's check by its code (no login)."""

from django.urls import path

from . import views_public

app_name = "awards_public"

urlpatterns = [
    path("", views_public.winners, name="index"),
    path("verify/<str:code>/", views_public.verify, name="verify"),
]
