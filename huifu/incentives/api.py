"""REST API for incentive projects, /api/v1/incentives/. Thin: selectors read, services write.

Projects: list and detail (with rules) for staff, members and regulators (drafts staff only).
Participations: list and detail scoped like the pages (members: own organisation only; another
organisation's answers 404); members submit; staff review and record acceptance.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.filters import api_filter
from huifu.core.http import require_perm
from huifu.products.models import Product

from . import selectors, services
from .filters import ParticipationFilter, ProjectFilter
from .models import AcceptanceResult, Participation, Project, ProjectRule


class RuleSerializer(serializers.ModelSerializer):
    product = serializers.CharField(source="product.code")

    class Meta:
        model = ProjectRule
        fields = ["product", "basis", "tier_mode", "tiers", "min_volume", "min_avg_open_interest", "cap_per_member"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    products = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "year",
            "code",
            "name_zh",
            "name_en",
            "kind",
            "service_line",
            "status",
            "entry_mode",
            "requires_closing",
            "open_to_members",
            "open_to_platform_traders",
            "period_start",
            "period_end",
            "notice_doc_number",
            "notice_date",
            "cap_per_member",
            "cap_total",
            "award_per_result",
            "products",
        ]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    rules = RuleSerializer(many=True, read_only=True)
    pilots = serializers.SlugRelatedField(many=True, slug_field="name_zh", read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "description", "rules", "pilots"]
        read_only_fields = fields


class ParticipationSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", read_only=True)
    organisation = serializers.CharField(source="organisation.name_zh", read_only=True)
    products = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "project",
            "organisation",
            "status",
            "entry_mode",
            "plan",
            "topic",
            "products",
            "submitted_at",
            "joined_on",
            "effective_from",
            "effective_to",
            "result",
            "result_notes",
            "payout_ratio",
            "award_amount",
            "accepted_at",
            "closed_at",
        ]
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    plan = serializers.CharField()
    products = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="Product codes the participation targets (required, non-empty, except for research projects).",
    )
    topic = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="Research projects (kind research, universities only): the research topic.",
    )


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    joined_on = serializers.DateField(required=False, allow_null=True, default=None)


class AcceptSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=AcceptanceResult.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    payout_ratio = serializers.DecimalField(
        max_digits=5, decimal_places=4, required=False, allow_null=True, default=None
    )


class ProjectListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=ProjectSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "incentives.view_project_list")
        # the page's filters, declared once (incentives/filters.py): a bad value is a 400 naming it
        qs = api_filter(ProjectFilter, request, selectors.project_list(user=request.user)).prefetch_related("products")
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ProjectSerializer(page, many=True).data)


class ProjectDetailView(APIView):
    @extend_schema(responses=ProjectDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "incentives.view_project_list")
        return Response(ProjectDetailSerializer(selectors.project_get(user=request.user, project_id=pk)).data)


class ParticipationListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="Only participations in this status"),
            OpenApiParameter("project", int, description="Only participations in this project"),
        ],
        responses=ParticipationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_perm(request, "incentives.view_participation_list")
        qs = api_filter(ParticipationFilter, request, selectors.participation_list(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ParticipationSerializer(page, many=True).data)

    @extend_schema(request=SubmitSerializer, responses={201: ParticipationSerializer})
    def post(self, request: Request) -> Response:
        require_perm(request, "incentives.view_participation_list")
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        project = selectors.project_get(user=request.user, project_id=data["project"])
        require_perm(request, "incentives.apply_project", project)
        codes = set(data["products"])
        products = list(Product.objects.filter(code__in=codes))
        unknown = codes - {p.code for p in products}
        if unknown:
            raise serializers.ValidationError({"products": [f"Unknown product: {', '.join(sorted(unknown))}"]})
        participation = services.participation_submit(
            actor=request.user, project=project, plan=data["plan"], products=products, topic=data["topic"]
        )
        return Response(ParticipationSerializer(participation).data, status=status.HTTP_201_CREATED)


class ParticipationDetailView(APIView):
    @extend_schema(responses=ParticipationSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "incentives.view_participation_list")
        return Response(
            ParticipationSerializer(selectors.participation_get(user=request.user, participation_id=pk)).data
        )


class ParticipationReviewView(APIView):
    @extend_schema(request=ReviewSerializer, responses=ParticipationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "incentives.view_participation_list")
        participation = selectors.participation_get(user=request.user, participation_id=pk)
        require_perm(request, "incentives.decide_participation", participation)
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participation = services.participation_review(
            actor=request.user, participation=participation, **serializer.validated_data
        )
        return Response(ParticipationSerializer(participation).data)


class ParticipationAcceptView(APIView):
    @extend_schema(request=AcceptSerializer, responses=ParticipationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "incentives.view_participation_list")
        participation = selectors.participation_get(user=request.user, participation_id=pk)
        require_perm(request, "incentives.decide_participation", participation)
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participation = services.participation_accept(
            actor=request.user, participation=participation, **serializer.validated_data
        )
        return Response(ParticipationSerializer(participation).data)
