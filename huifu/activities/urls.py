from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/submit/", views.activity_submit, name="submit"),
    path("<int:pk>/return/", views.activity_return, name="return"),
    path("<int:pk>/approve/", views.activity_approve, name="approve"),
    path("<int:pk>/reject/", views.activity_reject, name="reject"),
    path("<int:pk>/held/", views.activity_mark_held, name="mark_held"),
    path("<int:pk>/files/", views.activity_file_add, name="file_add"),
    path("<int:pk>/summary/", views.activity_summary, name="summary"),
    path("<int:pk>/summary/review/", views.activity_summary_review, name="summary_review"),
    path("<int:pk>/close/", views.activity_close, name="close"),
    path("<int:pk>/summary.pdf", views.activity_pdf, name="pdf"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_edit, name="type_create"),
    path("types/<int:pk>/", views.type_edit, name="type_edit"),
]
