from django.urls import path

from . import api

urlpatterns = [
    path("files/<uuid:file_id>/", api.FileDownloadApi.as_view(), name="api-file-download"),
]
