"""The REST API, /api/v1/. Each app declares its endpoints in its own ``api_urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("huifu.accounts.api_urls")),
    path("", include("huifu.directory.api_urls")),
    path("", include("huifu.notices.api_urls")),
    path("", include("huifu.workdays.api_urls")),
    path("", include("huifu.files.api_urls")),
    path("", include("huifu.audit.api_urls")),
    path("", include("huifu.outbox.api_urls")),
]
