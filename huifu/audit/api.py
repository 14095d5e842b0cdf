"""Read-only API of the audit trail, for staff: GET /api/v1/audit-events/."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers

from huifu.api.pagination import CursorPagination

from .forms import AuditFilterForm
from .models import AuditEvent
from .selectors import audit_events, can_read_history


class CanReadHistory(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:  # noqa: ANN001
        return bool(request.user and request.user.is_authenticated and can_read_history(request.user))


class AuditEventSerializer(serializers.ModelSerializer):
    record_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_label",
            "action",
            "record_type",
            "target_id",
            "target_label",
            "changes",
            "message",
            "ip_address",
        ]
        read_only_fields = fields

    def get_record_type(self, obj: AuditEvent) -> str | None:
        ct = obj.target_type
        return f"{ct.app_label}.{ct.model}" if ct is not None else None


@extend_schema(
    summary="Audit events (staff only)",
    parameters=[
        OpenApiParameter("actor", OpenApiTypes.STR, description="Part of the actor's name or e-mail"),
        OpenApiParameter("actor_id", OpenApiTypes.INT),
        OpenApiParameter("action", OpenApiTypes.STR),
        OpenApiParameter("record_type", OpenApiTypes.STR, description="app_label.model"),
        OpenApiParameter("record_id", OpenApiTypes.STR),
        OpenApiParameter("date_from", OpenApiTypes.DATE),
        OpenApiParameter("date_to", OpenApiTypes.DATE),
    ],
)
class AuditEventListApi(generics.ListAPIView):
    serializer_class = AuditEventSerializer
    permission_classes = [CanReadHistory]
    pagination_class = CursorPagination  # the history only grows: keyset pages, no count (issue #9)
    cursor_ordering = "-at"

    def get_queryset(self):  # noqa: ANN201
        params = self.request.query_params
        form = AuditFilterForm(params)
        if not form.is_valid():
            raise exceptions.ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        actor_id = params.get("actor_id")
        if actor_id not in (None, "") and not str(actor_id).isdigit():
            raise exceptions.ValidationError({"actor_id": [_("Enter a whole number.")]})
        return audit_events(
            user=self.request.user,
            actor_id=int(actor_id) if actor_id not in (None, "") else None,
            **form.filters(),
        )
