"""REST API for credit hours, /api/v1/credits/. Scoped like the pages: a practitioner reads their
own hours and claims, a member admin the company's, staff everyone's. Claims are entered
(multipart, with the evidence file) and decided here too, through the same services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.http import require_perm

from . import hours, selectors, services
from .models import HourCategory

WINDOW = OpenApiParameter("window", str, description="Start date (YYYY-MM-DD) of a window; default the current one")


class CreditCategoryHoursSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    minimum = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


class CreditLineSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    title = serializers.CharField()
    provider = serializers.CharField()
    category = serializers.IntegerField(source="category_id")
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    source = serializers.CharField()
    session = serializers.IntegerField(source="session_id", allow_null=True)
    claim = serializers.IntegerField(source="claim_id", allow_null=True)
    on_site = serializers.BooleanField()


class CreditStandingSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.full_name")
    company = serializers.CharField(source="person.organisation.name_zh", allow_null=True)
    window_start = serializers.DateField(source="window.start")
    window_end = serializers.DateField(source="window.end")
    deferred = serializers.BooleanField(source="window.deferred")
    rule_year = serializers.IntegerField(source="window.rule.year")
    rule_seed_unchecked = serializers.BooleanField(source="window.rule.seed_unchecked")
    total = serializers.DecimalField(max_digits=6, decimal_places=1)
    required = serializers.DecimalField(max_digits=6, decimal_places=1)
    short = serializers.DecimalField(max_digits=6, decimal_places=1)
    met = serializers.BooleanField()
    categories = serializers.SerializerMethodField()

    def get_categories(self, standing: Any) -> list[dict[str, Any]]:
        return CreditCategoryHoursSerializer(
            [{"code": c.code, "name": c.name(), "hours": h, "minimum": m} for c, h, m in standing.rows()],
            many=True,
        ).data


class CreditStandingDetailSerializer(CreditStandingSerializer):
    lines = CreditLineSerializer(many=True)


class CreditClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.full_name")
    company = serializers.CharField(source="organisation.name_zh")
    provider = serializers.CharField()
    course_title = serializers.CharField()
    completed_on = serializers.DateField()
    certificate_no = serializers.CharField()
    category = serializers.CharField(source="category.code")
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    state = serializers.CharField()
    decision_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class CreditClaimWriteSerializer(serializers.Serializer):
    provider = serializers.CharField(max_length=200)
    course_title = serializers.CharField(max_length=200)
    completed_on = serializers.DateField()
    certificate_no = serializers.CharField(max_length=60, required=False, allow_blank=True)
    category = serializers.SlugRelatedField(slug_field="code", queryset=HourCategory.objects.filter(is_active=True))
    hours = serializers.CharField(max_length=10)
    evidence = serializers.FileField()


class CreditDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _standing(request: Request, person: Any) -> hours.Standing:
    wanted = request.query_params.get("window")
    window = hours.window_at(person, wanted) if wanted else hours.current_window(person)
    if window is None:
        raise Http404
    return hours.hours_for(person, window)


class MyHoursView(APIView):
    @extend_schema(summary="My credit hours in a window", parameters=[WINDOW], responses=CreditStandingDetailSerializer)
    def get(self, request: Request) -> Response:
        require_perm(request, "credits.view_own_hours")
        return Response(CreditStandingDetailSerializer(_standing(request, request.user)).data)


class PeopleView(APIView):
    pagination_class = Pagination

    @extend_schema(
        summary="Practitioners' hours in their current window (own company; staff: all or ?organisation=)",
        parameters=[OpenApiParameter("organisation", int, required=False)],
        responses=CreditStandingSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_perm(request, "credits.view_company_hours")
        try:
            organisation_id = int(request.query_params.get("organisation") or 0) or None
        except ValueError:
            organisation_id = None
        people = selectors.practitioners_for(user=request.user, organisation_id=organisation_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(people, request, view=self)
        return paginator.get_paginated_response(
            CreditStandingSerializer(hours.standings_for(list(page)), many=True).data
        )


class PersonView(APIView):
    @extend_schema(
        summary="One practitioner's hours in a window", parameters=[WINDOW], responses=CreditStandingDetailSerializer
    )
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "credits.view_company_hours")
        person = selectors.practitioner_get(user=request.user, person_id=pk)
        return Response(CreditStandingDetailSerializer(_standing(request, person)).data)


class ClaimListView(APIView):
    pagination_class = Pagination
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Hours from other providers (own; the company's for its admin)",
        responses=CreditClaimSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        if not (request.user.has_perm("credits.view_own_hours") or request.user.has_perm("credits.view_company_hours")):
            raise PermissionDenied
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.claim_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(CreditClaimSerializer(page, many=True).data)

    @extend_schema(
        summary="Enter hours from another provider, with evidence",
        request={"multipart/form-data": CreditClaimWriteSerializer},
        responses={201: CreditClaimSerializer},
    )
    def post(self, request: Request) -> Response:
        require_perm(request, "credits.claim_hours")
        data = CreditClaimWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.claim_submit(actor=request.user, **data.validated_data)
        return Response(CreditClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class ClaimDecisionView(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="Approve or refuse a claim (a refusal needs a reason)",
        request=CreditDecisionSerializer,
        responses=CreditClaimSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get(user=request.user, claim_id=pk)
        data = CreditDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.claim_decide(actor=request.user, claim=claim, **data.validated_data)
        return Response(CreditClaimSerializer(claim).data)


class CreditMinimumSerializer(serializers.Serializer):
    category = serializers.CharField(source="category.code")
    min_hours = serializers.DecimalField(max_digits=6, decimal_places=1)


class CreditRuleSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    title = serializers.CharField()
    source = serializers.CharField()
    window_years = serializers.IntegerField()
    min_hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    deferral_years = serializers.IntegerField()
    seed_unchecked = serializers.BooleanField(help_text="Seed value: check against the current rule")
    minimums = CreditMinimumSerializer(many=True, source="minimums.all")


class RuleListView(APIView):
    @extend_schema(summary="The credit-hour rules, newest first", responses=CreditRuleSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "credits.view_menu")
        return Response(CreditRuleSerializer(selectors.rule_list(), many=True).data)


class CreditDeferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.full_name")
    company = serializers.CharField(source="organisation.name_zh")
    window_start = serializers.DateField()
    reason = serializers.CharField()
    state = serializers.CharField()
    decision_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class DeferralListView(APIView):
    pagination_class = Pagination

    @extend_schema(
        summary="Deferral applications (own; the company's for its admin; all for staff)",
        responses=CreditDeferralSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_perm(request, "credits.view_menu")
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.deferral_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(CreditDeferralSerializer(page, many=True).data)
