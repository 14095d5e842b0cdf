from django.urls import path

from . import api

urlpatterns = [
    path("certificates/", api.CertificateListView.as_view(), name="api-certificate-list"),
    path("certificates/issue/", api.CertificateIssueView.as_view(), name="api-certificate-issue"),
    path("certificates/<int:pk>/", api.CertificateDetailView.as_view(), name="api-certificate-detail"),
    path("certificates/<int:pk>/revoke/", api.CertificateRevokeView.as_view(), name="api-certificate-revoke"),
    path("certificates/<int:pk>/reissue/", api.CertificateReissueView.as_view(), name="api-certificate-reissue"),
]
