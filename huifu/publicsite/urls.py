from django.urls import path

from . import views

app_name = "publicsite"
urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("logo/<uuid:file_id>/", views.logo, name="logo"),
]
