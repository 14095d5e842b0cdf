"""The REST API, /api/v1/. Each app exposes its endpoints in its own api.py; they are mounted here."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
