from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from huifu.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("huifu.accounts.urls")),
    # A login address is changed by the coordinator or the organisation's admin (it identifies
    # the person in mail intake and notices), not by self-service: allauth's e-mail page is closed.
    path("accounts/email/", RedirectView.as_view(pattern_name="accounts:profile", permanent=False)),
    path("accounts/", include("allauth.urls")),
    path("directory/", include("huifu.directory.urls")),
    path("notices/", include("huifu.notices.urls")),
    path("calendar/", include("huifu.workdays.urls")),
    path("files/", include("huifu.files.urls")),
    path("audit/", include("huifu.audit.urls")),
    path("outbox/", include("huifu.outbox.urls")),
    path("notifications/", include("huifu.notifications.urls")),
    path("queue/", include("huifu.tracking.urls")),
    path("feedback/", include("huifu.servicedesk.urls")),
    path("intake/", include("huifu.intake.urls")),
    path("visits/", include("huifu.visits.urls")),
    path("hotline/", include("huifu.hotline.urls")),
    path("budget/", include("huifu.budget.urls")),
    path("activities/", include("huifu.activities.urls")),
    path("deepening/", include("huifu.deepening.urls")),
    path("cases/", include("huifu.cases.urls")),
    # The public face: public notices and cases for visitors without an account (huifu/publicsite).
    # Published educational works for anyone (huifu/eduworks; under the public site's prefix).
    path("public/works/", include("huifu.eduworks.public_urls")),
    # Award winners for anyone (huifu/awards; under the public site's prefix).
    path("public/awards/", include("huifu.awards.public_urls")),
    path("public/", include("huifu.publicsite.urls")),
    path("products/", include("huifu.products.urls")),
    path("trading-data/", include("huifu.tradingdata.urls")),
    path("incentives/", include("huifu.incentives.urls")),
    path("settlements/", include("huifu.settlements.urls")),
    path("events/", include("huifu.events.urls")),
    path("credits/", include("huifu.credits.urls")),
    path("certificates/", include("huifu.certificates.urls")),
    # Public check of a certificate by its QR code (no login; huifu/certificates).
    path("verify/", include("huifu.certificates.public_urls")),
    path("eduworks/", include("huifu.eduworks.urls")),
    path("universities/", include("huifu.universities.urls")),
    path("awards/", include("huifu.awards.urls")),
    path("selections/", include("huifu.selections.urls")),
    path("dashboards/", include("huifu.dashboards.urls")),
    path("yearplan/", include("huifu.yearplan.urls")),
    path("search/", include("huifu.search.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("huifu.api.urls")),
    # Django's own admin login would accept a password without the second factor: its login page
    # sends to the site's login (password, then TOTP), whose session the admin then uses.
    path("django-admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("django-admin/", admin.site.urls),
    path("", include("huifu.core.urls")),
]

# Uncaught errors: the API answers its JSON envelope, pages the HTML page; 503 while the
# database is unreachable (huifu/core/views.py).
handler500 = "huifu.core.views.server_error"
# A URL under /api/ that matches no route answers the JSON envelope too (huifu/api/errors.py).
handler404 = "huifu.api.errors.page_not_found"
