"""The public verification page, ``/verify/<code>/`` (no login; see ``views.verify``)."""

from django.urls import path

from . import views

app_name = "verify"

urlpatterns = [
    path("<str:code>/", views.verify, name="certificate"),
]
