"""REST API for visits, /api/v1/visits/. Thin: serializers parse, selectors read, services write.

Requesters: list their organisation's visits, ask to visit, confirm, ask for a change, cancel.
Staff: every visit; Member Management arranges, marks held, cancels.
Errors use the project envelope (huifu/api/errors.py).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.accounts.models import User, UserKind
from huifu.api.pagination import Pagination
from huifu.core.filters import api_filter
from huifu.core.http import require_perm
from huifu.core.phones import validate_phone

from . import selectors, services
from .filters import VisitFilter
from .models import VisitRequest


class VisitSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name_zh", read_only=True)
    organisation_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = VisitRequest
        fields = [
            "id",
            "organisation_id",
            "organisation",
            "source",
            "status",
            "received_at",
            "purpose",
            "proposed_dates",
            "visitors",
            "visitor_count",
            "topics",
            "contact_name",
            "contact_email",
            "contact_phone",
            "starts_at",
            "ends_at",
            "place",
            "agenda",
            "arrangement_version",
            "confirmed_at",
            "change_reason",
            "cancelled_at",
            "cancel_reason",
            "held_at",
        ]
        read_only_fields = fields


class VisitDetailSerializer(VisitSerializer):
    attendees = serializers.SerializerMethodField()

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "attendees"]
        read_only_fields = fields

    def get_attendees(self, visit: VisitRequest) -> list[dict[str, str]]:
        return [{"name": u.full_name, "email": u.email} for u in visit.attendees.all()]


class VisitRequestSerializer(serializers.Serializer):
    purpose = serializers.CharField(max_length=4000)
    proposed_dates = serializers.CharField(max_length=200)
    visitors = serializers.CharField(max_length=4000)
    visitor_count = serializers.IntegerField(min_value=1, max_value=200, default=1)
    topics = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, validators=[validate_phone])


class ArrangeSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    agenda = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    attendees = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(kind=UserKind.STAFF, is_active=True)
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class HoldSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=8000, required=False, allow_blank=True)


def _payload(request: Request, visit: VisitRequest) -> dict[str, Any]:
    visit = selectors.visit_get_for_user(user=request.user, visit_id=visit.pk)
    return VisitDetailSerializer(visit).data


class VisitListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=VisitSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Visits the caller may see; filter with ``?status=`` and ``?q=`` (as the page)."""
        require_perm(request, "visits.view_visit_list")
        # the page's filters, declared once (visits/filters.py): a bad value is a 400 naming it
        qs = api_filter(VisitFilter, request, selectors.visit_list_for_user(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(VisitSerializer(page, many=True).data)

    @extend_schema(request=VisitRequestSerializer, responses={201: VisitDetailSerializer})
    def post(self, request: Request) -> Response:
        """Ask to visit, for the caller's own organisation (member and partner users)."""
        require_perm(request, "visits.add_visit_request")
        serializer = VisitRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.visit_request_submit(actor=request.user, **serializer.validated_data)
        return Response(_payload(request, visit), status=status.HTTP_201_CREATED)


class VisitDetailView(APIView):
    @extend_schema(responses=VisitDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "visits.view_visit_list")
        return Response(VisitDetailSerializer(selectors.visit_get_for_user(user=request.user, visit_id=pk)).data)


class VisitArrangeView(APIView):
    @extend_schema(request=ArrangeSerializer, responses=VisitDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
        require_perm(request, "visits.arrange_visit", visit)
        serializer = ArrangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.visit_arrange(actor=request.user, visit=visit, **serializer.validated_data)
        return Response(_payload(request, visit))


class VisitConfirmView(APIView):
    @extend_schema(request=None, responses=VisitDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
        require_perm(request, "visits.respond_visit", visit)
        visit = services.visit_confirm(actor=request.user, visit=visit)
        return Response(_payload(request, visit))


class VisitChangeView(APIView):
    @extend_schema(request=ReasonSerializer, responses=VisitDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
        require_perm(request, "visits.respond_visit", visit)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.visit_request_change(actor=request.user, visit=visit, **serializer.validated_data)
        return Response(_payload(request, visit))


class VisitHoldView(APIView):
    @extend_schema(request=HoldSerializer, responses=VisitDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
        require_perm(request, "visits.hold_visit", visit)
        serializer = HoldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.visit_hold(actor=request.user, visit=visit, **serializer.validated_data)
        return Response(_payload(request, visit))


class VisitCancelView(APIView):
    @extend_schema(request=ReasonSerializer, responses=VisitDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
        require_perm(request, "visits.cancel_visit", visit)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = services.visit_cancel(actor=request.user, visit=visit, **serializer.validated_data)
        return Response(_payload(request, visit))
