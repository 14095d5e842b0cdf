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
    path("", include("huifu.notifications.api_urls")),
    path("", include("huifu.tracking.api_urls")),
    path("", include("huifu.servicedesk.api_urls")),
    path("", include("huifu.intake.api_urls")),
    path("", include("huifu.visits.api_urls")),
    path("", include("huifu.hotline.api_urls")),
    path("", include("huifu.budget.api_urls")),
    path("", include("huifu.activities.api_urls")),
    path("", include("huifu.deepening.api_urls")),
    path("", include("huifu.cases.api_urls")),
    path("", include("huifu.products.api_urls")),
    path("", include("huifu.tradingdata.api_urls")),
    path("", include("huifu.incentives.api_urls")),
    path("", include("huifu.settlements.api_urls")),
    path("", include("huifu.events.api_urls")),
    path("", include("huifu.credits.api_urls")),
    path("", include("huifu.certificates.api_urls")),
    path("", include("huifu.eduworks.api_urls")),
    path("", include("huifu.universities.api_urls")),
]
