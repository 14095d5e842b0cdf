from django.urls import path

from . import views

app_name = "tracking"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("saved/", views.saved_filter_add, name="saved_filter_add"),
    path("saved/<int:pk>/delete/", views.saved_filter_delete, name="saved_filter_delete"),
]
