from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/files/", views.file_add, name="file_add"),
    path("<int:pk>/files/<int:file_id>/remove/", views.file_remove, name="file_remove"),
    path("<int:pk>/publish/", views.case_publish, name="publish"),
    path("<int:pk>/withdraw/", views.case_withdraw, name="withdraw"),
]
