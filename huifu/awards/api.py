"""REST API for awards, /api/v1/awards/: the same selectors, rules and services as the pages.

* ``evaluations/``: the evaluations the user may read (staff all; an organisation those it is
  evaluated in, once published).
* ``evaluations/<id>/results/``: staff every result of the latest computation; an evaluated
  organisation its own result only (never another's figures).
* ``evaluations/<id>/objections/``: list (staff all, an organisation its own) and submit.
* ``objections/<id>/decide/``: the owning department, not the scorer.
* ``winners/``: staff every winner; an organisation its own.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.accounts.predicates import is_staff_user
from huifu.api.pagination import Pagination
from huifu.core.http import require_perm

from . import selectors
from .models import Evaluation, Objection, SubjectResult, Winner
from .services import evaluations as services


class AwardEvaluationSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)
    programme = serializers.CharField(source="programme.code", read_only=True)
    title_zh = serializers.CharField(source="edition.title_zh", read_only=True)
    title_en = serializers.CharField(source="edition.title_en", read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "programme", "year", "state", "title_zh", "title_en", "objection_days", "objection_deadline"]
        read_only_fields = fields


class AwardResultSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name_zh", read_only=True)
    version = serializers.IntegerField(source="result_set.number", read_only=True)

    class Meta:
        model = SubjectResult
        fields = [
            "organisation",
            "organisation_name",
            "version",
            "base_score",
            "bonus",
            "deduction",
            "total",
            "rank",
            "within_quota",
            "category_code",
            "tie_note",
            "breakdown",
            "deductions",
            "bonuses",
        ]
        read_only_fields = fields


class AwardObjectionSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)
    list_label = serializers.CharField(source="published_list.label", read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "organisation",
            "list_label",
            "indicator_code",
            "text",
            "state",
            "submitted_at",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class AwardObjectionSubmitSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    indicator_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class AwardObjectionDecideSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reason = serializers.CharField(max_length=4000)


class AwardWinnerSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)
    edition_title = serializers.CharField(source="edition.title_zh", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True)
    certificate_url = serializers.SerializerMethodField()
    verification_url = serializers.CharField(read_only=True)

    class Meta:
        model = Winner
        fields = [
            "id",
            "edition",
            "edition_title",
            "category_code",
            "organisation",
            "name_zh",
            "name_en",
            "members",
            "rank",
            "number",
            "state",
            "published_at",
            "revoked_at",
            "revocation_reason",
            "certificate_url",
            "verification_url",
        ]
        read_only_fields = fields

    def get_certificate_url(self, obj: Winner) -> str:
        return reverse("awards:certificate_pdf", args=[obj.pk])


class AwardEvaluationListView(ListAPIView):
    serializer_class = AwardEvaluationSerializer
    pagination_class = Pagination

    def get_queryset(self):  # noqa: ANN201
        require_perm(self.request, "awards.view_awards")
        return selectors.evaluation_list(user=self.request.user)


class AwardEvaluationDetailView(APIView):
    @extend_schema(responses=AwardEvaluationSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(AwardEvaluationSerializer(selectors.evaluation_get(user=request.user, pk=pk)).data)


class AwardResultListView(ListAPIView):
    serializer_class = AwardResultSerializer
    pagination_class = Pagination

    def get_queryset(self):  # noqa: ANN201
        user = self.request.user
        evaluation = selectors.evaluation_get(user=user, pk=self.kwargs["pk"])
        if is_staff_user(user):
            return selectors.latest_results(user=user, evaluation=evaluation).select_related("result_set")
        own = selectors.own_result(user=user, evaluation=evaluation)
        if own is None:
            raise Http404
        return SubjectResult.objects.filter(pk=own.pk).select_related("organisation", "result_set")


class AwardObjectionListView(APIView):
    @extend_schema(responses=AwardObjectionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        evaluation = selectors.evaluation_get(user=request.user, pk=pk)
        objections = selectors.objections_for(user=request.user, evaluation=evaluation)
        return Response(AwardObjectionSerializer(objections, many=True).data)

    @extend_schema(request=AwardObjectionSubmitSerializer, responses={201: AwardObjectionSerializer})
    def post(self, request: Request, pk: int) -> Response:
        evaluation = selectors.evaluation_get(user=request.user, pk=pk)
        serializer = AwardObjectionSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_submit(actor=request.user, evaluation=evaluation, **serializer.validated_data)
        return Response(AwardObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class AwardObjectionDecideView(APIView):
    @extend_schema(request=AwardObjectionDecideSerializer, responses=AwardObjectionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        objection = Objection.objects.select_related("evaluation").filter(pk=pk).first()
        if objection is None or not is_staff_user(request.user):
            raise Http404
        require_perm(request, "awards.decide_objection", objection.evaluation)
        serializer = AwardObjectionDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_decide(actor=request.user, objection=objection, **serializer.validated_data)
        return Response(AwardObjectionSerializer(objection).data)


class AwardWinnerListView(ListAPIView):
    serializer_class = AwardWinnerSerializer
    pagination_class = Pagination

    def get_queryset(self):  # noqa: ANN201
        require_perm(self.request, "awards.view_awards")
        return selectors.winner_list(user=self.request.user)
