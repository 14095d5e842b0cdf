"""REST API for notices, /api/v1/notices/. Thin: serializers parse, selectors read, services write.

Readers: list (scoped to their audience, with ``is_read``), detail, mark read.
Staff: every notice; create and update drafts, publish, withdraw, read status.
Errors use the project envelope (huifu/api/errors.py).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.filters import api_filter
from huifu.core.http import require_perm
from huifu.directory.models import Department, Organisation, OrganisationKind
from huifu.files.api import api_file_url

from . import selectors, services
from .filters import ReaderNoticeFilter, StaffNoticeFilter
from .models import AudienceKind, Notice, NoticeCategory


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(source="file.original_name")
    size = serializers.IntegerField(source="file.size")
    url = serializers.SerializerMethodField()

    def get_url(self, attachment: Any) -> str:
        return api_file_url(attachment.file_id)


class NoticeSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name_zh", default=None, read_only=True)
    is_read = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Notice
        fields = [
            "id",
            "doc_number",
            "title",
            "category",
            "status",
            "department",
            "published_at",
            "withdrawn_at",
            "is_read",
        ]
        read_only_fields = fields


class NoticeDetailSerializer(NoticeSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(NoticeSerializer.Meta):
        fields = [*NoticeSerializer.Meta.fields, "body", "withdrawn_reason", "attachments"]
        read_only_fields = fields


class StaffNoticeSerializer(NoticeDetailSerializer):
    audience_organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(NoticeDetailSerializer.Meta):
        fields = [*NoticeDetailSerializer.Meta.fields, "audience_kind", "audience_org_kinds", "audience_organisations"]
        read_only_fields = fields


class NoticeWriteSerializer(serializers.Serializer):
    doc_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    category = serializers.ChoiceField(choices=NoticeCategory.choices, required=False)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    audience_kind = serializers.ChoiceField(choices=AudienceKind.choices, required=False)
    audience_org_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices), required=False
    )
    audience_organisations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.all(), required=False
    )


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReadStatusSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField(source="pk")
    organisation = serializers.CharField(source="name_zh")
    kind = serializers.CharField()
    user_count = serializers.IntegerField()
    reader_count = serializers.IntegerField()
    first_read_at = serializers.DateTimeField(allow_null=True)
    first_reader_email = serializers.CharField()


def _staff_payload(notice: Notice) -> dict[str, Any]:
    notice = (
        Notice.objects.prefetch_related("attachments__file", "audience_organisations")
        .select_related("department")
        .get(pk=notice.pk)
    )
    return StaffNoticeSerializer(notice).data


class NoticeListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=NoticeSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Notices the caller may read, filtered as on the page (``?category=``, ``?q=``, readers ``?show=unread``;
        staff: every notice, and ``?status=``)."""
        require_perm(request, "notices.view_notice_list")
        # the pages' filters, declared once (notices/filters.py): a bad value is a 400 naming it
        if request.user.has_perm("notices.manage_notices"):
            qs = api_filter(StaffNoticeFilter, request, selectors.notice_list_for_staff(user=request.user))
        else:
            qs = api_filter(ReaderNoticeFilter, request, selectors.notice_list_for_reader(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(NoticeSerializer(page, many=True).data)

    @extend_schema(request=NoticeWriteSerializer, responses={201: StaffNoticeSerializer})
    def post(self, request: Request) -> Response:
        """Create a draft (staff)."""
        require_perm(request, "notices.add_notice")
        serializer = NoticeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.notice_create_draft(actor=request.user, **serializer.validated_data)
        return Response(_staff_payload(notice), status=status.HTTP_201_CREATED)


class NoticeDetailView(APIView):
    @extend_schema(responses=NoticeDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "notices.view_notice_list")
        notice = selectors.notice_get_for_reader(user=request.user, notice_id=pk)
        if request.user.has_perm("notices.manage_notices"):
            return Response(_staff_payload(notice))
        return Response(NoticeDetailSerializer(notice).data)

    @extend_schema(request=NoticeWriteSerializer, responses=StaffNoticeSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        """Change a draft (staff who may edit it). Published notices answer 400 (not_editable)."""
        notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
        require_perm(request, "notices.change_notice", notice)
        serializer = NoticeWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisations = data.pop("audience_organisations", None)
        notice = services.notice_update(actor=request.user, notice=notice, audience_organisations=organisations, **data)
        return Response(_staff_payload(notice))


class NoticeReadView(APIView):
    @extend_schema(request=None, responses={200: NoticeSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Mark a notice read (idempotent). 404 for a notice not addressed to the caller."""
        require_perm(request, "notices.view_notice_list")
        notice = selectors.notice_get_for_reader(user=request.user, notice_id=pk)
        receipt, created = services.notice_mark_read(actor=request.user, notice=notice)
        return Response(
            {"id": notice.pk, "is_read": True, "read_at": receipt.read_at, "created": created},
            status=status.HTTP_200_OK,
        )


class NoticePublishView(APIView):
    @extend_schema(request=None, responses=StaffNoticeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
        require_perm(request, "notices.publish_notice", notice)
        notice = services.notice_publish(actor=request.user, notice=notice)
        return Response(_staff_payload(notice))


class NoticeWithdrawView(APIView):
    @extend_schema(request=WithdrawSerializer, responses=StaffNoticeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
        require_perm(request, "notices.withdraw_notice", notice)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.notice_withdraw(actor=request.user, notice=notice, reason=serializer.validated_data["reason"])
        return Response(_staff_payload(notice))


class NoticeReadStatusView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=ReadStatusSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
        require_perm(request, "notices.view_read_status", notice)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.notice_read_status(notice), request, view=self)
        response = paginator.get_paginated_response(ReadStatusSerializer(page, many=True).data)
        response.data["totals"] = selectors.notice_read_totals(notice)
        return response
