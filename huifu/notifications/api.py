"""REST API of the notification centre, /api/v1/notifications/: the requesting user's own only."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import CursorPagination

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True, help_text="The message in the request's language.")
    kind_label = serializers.CharField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "text", "message", "params", "url", "created_at", "read_at"]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationListView(APIView):
    pagination_class = CursorPagination  # a user's notifications only grow: keyset pages, no count
    cursor_ordering = "-created_at"

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread notifications.")],
        responses=NotificationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        unread = request.query_params.get("unread", "") in ("1", "true", "yes")
        qs = selectors.notifications_for(user=request.user, unread_only=unread)
        paginator = CursorPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        notification = selectors.notification_get(user=request.user, notification_id=pk)
        services.notification_mark_read(user=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses=MarkedSerializer)
    def post(self, request: Request) -> Response:
        return Response({"marked": services.notification_mark_all_read(user=request.user)})
