from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<slug:app_label>/<slug:model>/<str:pk>/", views.record_history, name="history"),
]
