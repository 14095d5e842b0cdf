from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("messages/<int:pk>/", views.message_detail, name="detail"),
    path("messages/<int:pk>/resolve/", views.message_resolve, name="resolve"),
    path("messages/<int:pk>/ignore/", views.message_ignore, name="ignore"),
    path("form.docx", views.form_download, name="form_download"),
    path("upload/", views.docx_upload, name="upload"),
]
