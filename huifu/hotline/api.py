"""REST API for the hotline, /api/v1/hotline/. Calls: staff only. The number: every user."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.accounts.models import User, UserKind
from huifu.api.pagination import CursorPagination
from huifu.core.filters import api_filter
from huifu.core.http import require_perm
from huifu.core.phones import validate_phone
from huifu.directory.models import Department, Organisation

from . import selectors, services
from .filters import CallFilter
from .models import CallTopic, HotlineCall


class CallSerializer(serializers.ModelSerializer):
    company = serializers.CharField(source="company_label", read_only=True)

    class Meta:
        model = HotlineCall
        fields = [
            "id",
            "received_at",
            "caller_name",
            "caller_phone",
            "organisation",
            "company",
            "topic",
            "question",
            "answer",
            "follow_up_status",
            "follow_up_owner",
            "follow_up_department",
            "follow_up_note",
            "followed_up_at",
        ]
        read_only_fields = fields


class CallWriteSerializer(serializers.Serializer):
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    caller_name = serializers.CharField(max_length=80)
    caller_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, validators=[validate_phone])
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    company_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    topic = serializers.ChoiceField(choices=CallTopic.choices, default=CallTopic.OTHER)
    question = serializers.CharField(max_length=8000)
    answer = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    follow_up_needed = serializers.BooleanField(default=False)
    follow_up_owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(kind=UserKind.STAFF), required=False, allow_null=True
    )
    follow_up_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )


class FollowUpSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=8000)


class CallListView(APIView):
    pagination_class = CursorPagination  # calls only grow: keyset pages, no count (issue #9)
    cursor_ordering = "-received_at"

    @extend_schema(responses=CallSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "hotline.view_call_list")
        # the page's filters, declared once (hotline/filters.py): a bad value is a 400 naming it
        qs = api_filter(CallFilter, request, selectors.call_list_for_user(user=request.user))
        paginator = CursorPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(CallSerializer(page, many=True).data)

    @extend_schema(request=CallWriteSerializer, responses={201: CallSerializer})
    def post(self, request: Request) -> Response:
        require_perm(request, "hotline.log_call")
        serializer = CallWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call = services.call_log(actor=request.user, **serializer.validated_data)
        return Response(CallSerializer(call).data, status=status.HTTP_201_CREATED)


class CallDetailView(APIView):
    @extend_schema(responses=CallSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "hotline.view_call_list")
        return Response(CallSerializer(selectors.call_get_for_user(user=request.user, call_id=pk)).data)


class CallFollowUpView(APIView):
    @extend_schema(request=FollowUpSerializer, responses=CallSerializer)
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "hotline.view_call_list")
        call = selectors.call_get_for_user(user=request.user, call_id=pk)
        require_perm(request, "hotline.close_follow_up", call)
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call = services.call_follow_up_close(actor=request.user, call=call, note=serializer.validated_data["note"])
        return Response(CallSerializer(call).data)


class HotlineNumberView(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        """The hotline number in force today (every logged-in user; the site footer shows it to all)."""
        current = selectors.setting_current()
        return Response(
            {
                "number": current.number if current else selectors.fallback_number(),
                "effective_from": current.effective_from if current else None,
            }
        )
