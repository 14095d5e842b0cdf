"""REST API of the selection, /api/v1/selections/: the applications a caller may see (a company
its own; a judge the confirmed applications of their categories minus the recused ones, without
names in a blind category; managers their selections'), one application (roster and result as
the page shows them), and a judge's scores. Scoring an application the judge is recused from
answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.http import require_perm

from . import selectors, services
from .presenters import application_view


def _row(user: Any, application: Any) -> dict[str, Any]:
    hidden = selectors.hides_identity(user, application)
    return {
        "id": application.pk,
        "code": application.blind_code,
        "reference": None if hidden else application.reference,
        "year": application.category.selection.year,
        "category": application.category.code,
        "kind": application.kind,
        "state": application.state,
        "organisation": None if hidden else application.organisation.name_zh,
        "team_name": None if hidden else application.team_name,
    }


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="Anonymous code (the only name judges see in a blind category).")
    reference = serializers.CharField(allow_null=True)
    year = serializers.IntegerField()
    category = serializers.CharField()
    kind = serializers.CharField(help_text="individual or team")
    state = serializers.CharField(help_text="draft, submitted, confirmed or withdrawn")
    organisation = serializers.CharField(allow_null=True)
    team_name = serializers.CharField(allow_null=True)


class MemberSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    certificate_no = serializers.CharField()
    is_leader = serializers.BooleanField()


class ResultSerializer(serializers.Serializer):
    judges_raw = serializers.DecimalField(max_digits=8, decimal_places=3)
    judges_normalised = serializers.DecimalField(max_digits=8, decimal_places=3, allow_null=True)
    total = serializers.DecimalField(max_digits=8, decimal_places=3)
    rank = serializers.IntegerField()
    winner = serializers.BooleanField()
    talks = serializers.IntegerField()
    reports = serializers.IntegerField()


class ApplicationDetailSerializer(ApplicationSerializer):
    members = MemberSerializer(many=True, allow_null=True)
    result = ResultSerializer(allow_null=True)
    award = serializers.CharField(allow_null=True, help_text="awarded, revoked or null")


class ScoreInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.CharField(), help_text="{indicator code: score on the rubric's scale}"
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ScoreSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    value = serializers.DecimalField(max_digits=6, decimal_places=2)


class ApplicationListView(APIView):
    pagination_class = Pagination

    @extend_schema(responses=ApplicationSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "selections.view_selection_list")
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.application_list(user=request.user), request, view=self)
        return paginator.get_paginated_response([_row(request.user, a) for a in page])


class ApplicationDetailView(APIView):
    @extend_schema(responses=ApplicationDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_get(user=request.user, application_id=pk)
        view = application_view(request.user, application)
        data = _row(request.user, application)
        data["members"] = (
            None
            if view.members is None
            else [
                {"full_name": m.full_name, "certificate_no": m.certificate_no, "is_leader": m.is_leader}
                for m in view.members
            ]
        )
        row = view.result
        data["result"] = (
            None
            if row is None
            else {
                "judges_raw": row.judges_raw,
                "judges_normalised": row.judges_normalised,
                "total": row.total,
                "rank": row.rank,
                "winner": row.winner,
                "talks": row.objective.get("metrics", {}).get("analyst_talks", {}).get("value", 0),
                "reports": row.objective.get("metrics", {}).get("analyst_reports", {}).get("value", 0),
            }
        )
        data["award"] = view.award.state if view.award is not None else None
        return Response(ApplicationDetailSerializer(data).data)


class ScoreView(APIView):
    @extend_schema(request=ScoreInputSerializer, responses=ScoreSerializer(many=True))
    def post(self, request: Request, pk: int) -> Response:
        """The judge's scores of every judged indicator, all or none. 404 for an application the
        judge may not see (recused, another category, missing); 400 naming the indicator for a
        score outside the scale; 400 ``phase_closed`` outside the scoring window."""
        require_perm(request, "selections.judge")
        data = ScoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.scores_submit(
            actor=request.user,
            application_id=pk,
            values=data.validated_data["scores"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response(ScoreSerializer([{"indicator": s.indicator, "value": s.value} for s in saved], many=True).data)
