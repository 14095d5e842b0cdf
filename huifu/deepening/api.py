"""REST API, /api/v1/deepening/: plans and enterprise profiles as each user may see them
(members their own, regulators their region, staff all), supervision notes, and the review
decisions. Errors use the project envelope (huifu/api/errors.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.filters import api_filter
from huifu.core.http import require_perm
from huifu.files.api import api_file_url

from . import selectors, services
from .filters import PlanFilter, ProfileFilter
from .models import ContactLogEntry, DeepeningPlan, EnterpriseProfile, PlanEnterprise, PlannedActivity, SupervisionNote


class PlanSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.name_zh")
    requested = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    enterprise_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = DeepeningPlan
        fields = [
            "id",
            "year",
            "title",
            "member",
            "status",
            "period_start",
            "period_end",
            "requested",
            "approved_amount",
            "enterprise_count",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields


class PlanEnterpriseSerializer(serializers.ModelSerializer):
    profile_id = serializers.IntegerField()
    name = serializers.CharField(source="profile.name")
    region = serializers.CharField(source="profile.region")
    situation = serializers.CharField(source="profile.situation")

    class Meta:
        model = PlanEnterprise
        fields = ["profile_id", "name", "region", "situation", "objectives", "selected"]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = PlannedActivity
        fields = ["id", "kind", "title", "planned_date", "status", "done_date", "attendance", "report", "evidence"]
        read_only_fields = fields

    def get_evidence(self, activity: PlannedActivity) -> list[dict[str, str]]:
        return [{"name": e.file.original_name, "url": api_file_url(e.file_id)} for e in activity.evidence.all()]


class PlanDetailSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.name_zh")
    requested = serializers.DecimalField(source="requested_total", max_digits=14, decimal_places=2, read_only=True)
    enterprises = PlanEnterpriseSerializer(many=True, read_only=True)
    activities = ActivitySerializer(many=True, read_only=True)

    class Meta:
        model = DeepeningPlan
        fields = [
            "id",
            "year",
            "title",
            "member",
            "status",
            "objectives",
            "period_start",
            "period_end",
            "requested",
            "approved_amount",
            "decision_note",
            "completion_summary",
            "enterprises",
            "activities",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.__str__", read_only=True)
    bureau = serializers.CharField(source="bureau.name_zh", default=None, read_only=True)

    class Meta:
        model = SupervisionNote
        fields = ["id", "author", "bureau", "body", "created_at"]
        read_only_fields = ["id", "author", "bureau", "created_at"]


@extend_schema_serializer(component_name="ContactLogEntry")  # "Contact" is the directory's
class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactLogEntry
        fields = ["contact_date", "channel", "participants", "summary", "next_step", "recorded_at"]
        read_only_fields = fields


class ProfileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)
    member = serializers.CharField(source="member.name_zh")

    class Meta:
        model = EnterpriseProfile
        fields = [
            "id",
            "name",
            "region",
            "member",
            "industry",
            "products_of_interest",
            "situation",
            "obstacle_description",
            "is_key_enterprise",
        ]
        read_only_fields = fields


class ProfileDetailSerializer(ProfileSerializer):
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "notes", "contacts"]
        read_only_fields = fields


class PlanListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=PlanSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Plans the caller may see; ``?status=``, ``?year=``, ``?situation=``, ``?q=`` (as the page)."""
        require_perm(request, "deepening.view_plan_list")
        # the page's filters, declared once (deepening/filters.py): a bad value is a 400 naming it
        qs = api_filter(PlanFilter, request, selectors.plan_list(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(PlanSerializer(page, many=True).data)


class PlanDetailView(APIView):
    @extend_schema(responses=PlanDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "deepening.view_plan_list")
        plan = selectors.plan_get(user=request.user, plan_id=pk)
        return Response(PlanDetailSerializer(plan).data)


class PlanNotesView(APIView):
    @extend_schema(responses=NoteSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        """Supervision notes (staff and the plan's regulators; members get 403)."""
        plan = selectors.plan_get(user=request.user, plan_id=pk)
        require_perm(request, "deepening.view_supervision_notes", plan)
        return Response(NoteSerializer(selectors.supervision_notes_for(user=request.user, plan=plan), many=True).data)

    @extend_schema(request=NoteSerializer, responses={201: NoteSerializer})
    def post(self, request: Request, pk: int) -> Response:
        plan = selectors.plan_get(user=request.user, plan_id=pk)
        require_perm(request, "deepening.add_supervision_note", plan)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.supervision_note_add(actor=request.user, plan=plan, body=serializer.validated_data["body"])
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    pool = serializers.IntegerField(required=False)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    selected_profile_ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class PlanActionView(APIView):
    """POST /plans/<id>/<action>/ with action submit, return, approve, reject or close."""

    ACTIONS = {
        "submit": "deepening.submit_plan",
        "return": "deepening.review_plan",
        "approve": "deepening.review_plan",
        "reject": "deepening.review_plan",
        "close": "deepening.close_plan",
    }

    @extend_schema(request=DecisionSerializer, responses=PlanDetailSerializer)
    def post(self, request: Request, pk: int, action: str) -> Response:
        from django.http import Http404

        from huifu.budget.models import BudgetPool

        if action not in self.ACTIONS:
            raise Http404
        plan = selectors.plan_get(user=request.user, plan_id=pk)
        require_perm(request, self.ACTIONS[action], plan)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if action == "submit":
            services.plan_submit(actor=user, plan=plan)
        elif action == "return":
            services.plan_return(actor=user, plan=plan, comment=data.get("comment", ""))
        elif action == "reject":
            services.plan_reject(actor=user, plan=plan, reason=data.get("reason", ""))
        elif action == "close":
            services.plan_close(actor=user, plan=plan, note=data.get("note", ""))
        else:
            pool = BudgetPool.objects.filter(pk=data.get("pool")).first()
            services.plan_approve(
                actor=user,
                plan=plan,
                pool=pool,
                amount=data.get("amount"),
                selected_profile_ids=data.get("selected_profile_ids"),
                note=data.get("note", ""),
            )
        return Response(PlanDetailSerializer(selectors.plan_get(user=user, plan_id=pk)).data)


class ProfileListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=ProfileSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "deepening.view_profile_list")
        # the page's filters, declared once (deepening/filters.py): a bad value is a 400 naming it
        qs = api_filter(ProfileFilter, request, selectors.profile_list(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ProfileSerializer(page, many=True).data)


class ProfileDetailView(APIView):
    @extend_schema(responses=ProfileDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "deepening.view_profile_list")
        return Response(ProfileDetailSerializer(selectors.profile_get(user=request.user, profile_id=pk)).data)
