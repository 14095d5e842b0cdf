from django.urls import path  # noqa: F401

app_name = "awards_public"
urlpatterns: list = []
