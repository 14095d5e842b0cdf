"""REST API for certificates, /api/v1/certificates/: the same selectors, rules and services as
the pages. Lists are scoped by the user; issue, revoke and re-issue are for the event managers."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.accounts.models import User
from huifu.api.pagination import CursorPagination
from huifu.core.filters import api_filter
from huifu.core.http import require_perm
from huifu.events import selectors as event_selectors

from . import selectors, services
from .filters import CertificateFilter
from .models import Certificate, CertificateKind


class CertificateSerializer(serializers.ModelSerializer):
    verification_url = serializers.CharField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    replaces = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "kind",
            "state",
            "holder",
            "holder_name",
            "organisation",
            "session",
            "series",
            "title",
            "session_date",
            "completion_date",
            "issued_on",
            "issued_at",
            "hours",
            "eligibility",
            "revoked_at",
            "revocation_reason",
            "replaces",
            "verification_url",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, obj: Certificate) -> str:
        from django.urls import reverse

        return reverse("certificates:pdf", args=[obj.pk])


class IssueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CertificateKind.choices)
    person = serializers.IntegerField()
    session = serializers.IntegerField(required=False)
    series = serializers.IntegerField(required=False)

    def validate(self, attrs: dict) -> dict:
        if attrs["kind"] == CertificateKind.ATTENDANCE and not attrs.get("session"):
            raise serializers.ValidationError({"session": "An attendance certificate names a session."})
        if attrs["kind"] == CertificateKind.COMPLETION and not attrs.get("series"):
            raise serializers.ValidationError({"series": "A completion certificate names a series."})
        return attrs


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReissueSerializer(serializers.Serializer):
    holder_name = serializers.CharField(max_length=80)


class CertificateListView(APIView):
    pagination_class = CursorPagination  # certificates only grow
    cursor_ordering = "-issued_at"

    @extend_schema(responses=CertificateSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "certificates.view_certificate_list")
        qs = api_filter(CertificateFilter, request, selectors.certificate_list(user=request.user))
        paginator = CursorPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(CertificateSerializer(page, many=True).data)


class CertificateDetailView(APIView):
    @extend_schema(responses=CertificateSerializer)
    def get(self, request: Request, pk: int) -> Response:
        certificate = selectors.certificate_get(user=request.user, certificate_id=pk)
        require_perm(request, "certificates.view_certificate", certificate)
        return Response(CertificateSerializer(certificate).data)


class CertificateIssueView(APIView):
    @extend_schema(request=IssueSerializer, responses={200: CertificateSerializer, 201: CertificateSerializer})
    def post(self, request: Request) -> Response:
        """Issue (or return the one already issued: 200) a certificate."""
        require_perm(request, "certificates.issue_certificate")
        serializer = IssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = User.objects.filter(pk=data["person"], is_active=True).first()
        if person is None:
            raise serializers.ValidationError({"person": "No such person."})
        if data["kind"] == CertificateKind.ATTENDANCE:
            session = event_selectors.session_get(user=request.user, session_id=data["session"])
            result = services.certificate_issue_attendance(actor=request.user, session=session, person=person)
        else:
            series = event_selectors.series_get(series_id=data["series"])
            result = services.certificate_issue_completion(actor=request.user, series=series, person=person)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(CertificateSerializer(result.certificate).data, status=code)


class CertificateRevokeView(APIView):
    @extend_schema(request=RevokeSerializer, responses=CertificateSerializer)
    def post(self, request: Request, pk: int) -> Response:
        certificate = selectors.certificate_get(user=request.user, certificate_id=pk)
        require_perm(request, "certificates.revoke_certificate", certificate)
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=serializer.validated_data["reason"]
        )
        return Response(CertificateSerializer(certificate).data)


class CertificateReissueView(APIView):
    @extend_schema(request=ReissueSerializer, responses={201: CertificateSerializer})
    def post(self, request: Request, pk: int) -> Response:
        certificate = selectors.certificate_get(user=request.user, certificate_id=pk)
        require_perm(request, "certificates.revoke_certificate", certificate)
        serializer = ReissueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = services.certificate_reissue(
            actor=request.user, certificate=certificate, holder_name=serializer.validated_data["holder_name"]
        )
        return Response(CertificateSerializer(new).data, status=status.HTTP_201_CREATED)
