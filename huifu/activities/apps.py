from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "huifu.activities"
    label = "activities"
