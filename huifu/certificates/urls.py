from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_download, name="pdf"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("<int:pk>/reissue/", views.certificate_reissue, name="reissue"),
    path("issue/", views.issue_index, name="issue_index"),
    path("session/<int:session_id>/", views.session_certificates, name="session"),
    path("session/<int:session_id>/issue/", views.session_issue, name="session_issue"),
    path("series/<int:series_id>/", views.series_certificates, name="series"),
    path("series/<int:series_id>/issue/", views.series_issue, name="series_issue"),
]
