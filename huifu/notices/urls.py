from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/read/", views.notice_mark_read, name="mark_read"),
    path("manage/", views.notice_manage, name="manage"),
    path("manage/new/", views.notice_create, name="create"),
    path("manage/<int:pk>/edit/", views.notice_edit, name="edit"),
    path("manage/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("manage/<int:pk>/attachments/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"),
    path("manage/<int:pk>/publish/", views.notice_publish, name="publish"),
    path("manage/<int:pk>/withdraw/", views.notice_withdraw, name="withdraw"),
    path("manage/<int:pk>/read-status/", views.read_status, name="read_status"),
    path("manage/<int:pk>/read-status.xlsx", views.read_status_export, name="read_status_export"),
]
