from django.urls import path

from . import views

app_name = "hotline"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.call_create, name="create"),
    path("<int:pk>/", views.call_detail, name="detail"),
    path("<int:pk>/follow-up/", views.call_follow_up_close, name="close_follow_up"),
    path("settings/", views.setting_list, name="settings"),
]
