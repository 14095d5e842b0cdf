"""REST API for educational works, /api/v1/eduworks/: the works a caller may read (staff every
work; a member company its own in every state and everybody's published ones), filtered like the
page (``?kind=``, ``?product=``, ``?state=``, ``?q=``), one work with its authors, review decisions
and reach figures, and entering reach figures. Review and publication stay on the pages."""

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
from huifu.files.api import api_file_url

from . import selectors, services
from .filters import WorkFilter
from .models import ReachFigure, ReviewDecision, Work, WorkAuthor


class AuthorSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="staff, member or external")

    class Meta:
        model = WorkAuthor
        fields = ["kind", "name", "affiliation"]
        read_only_fields = fields


class WorkSerializer(serializers.ModelSerializer):
    products = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    organisation = serializers.CharField(source="organisation.name_zh", read_only=True, allow_null=True, default=None)
    # Plain strings (the values of WorkKind, WorkState, Channel): several apps name a field kind,
    # state or channel, and one enum name per field keeps the schema free of collisions.
    kind = serializers.CharField(read_only=True, help_text="article, video, course, comic, game or live")
    state = serializers.CharField(
        read_only=True, help_text="draft, submitted, in_review, returned, approved, published or withdrawn"
    )
    channel = serializers.CharField(read_only=True, help_text="website, wechat, video, app, on_site, other or empty")

    class Meta:
        model = Work
        fields = [
            "id",
            "kind",
            "title",
            "summary",
            "products",
            "audiences",
            "link",
            "organisation",
            "state",
            "channel",
            "published_on",
            "updated_at",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    outcome = serializers.CharField(read_only=True, help_text="returned or approved")

    class Meta:
        model = ReviewDecision
        fields = ["outcome", "checklist", "note", "decided_at"]
        read_only_fields = fields


class ReachSerializer(serializers.ModelSerializer):
    channel = serializers.CharField(read_only=True, help_text="website, wechat, video, app, on_site or other")

    class Meta:
        model = ReachFigure
        fields = ["id", "month", "channel", "views", "plays", "likes", "shares", "participants"]
        read_only_fields = ["id"]


class ReachInputSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="Any day of the month, e.g. 2026-05-01.")
    channel = serializers.CharField(
        max_length=10, help_text="website, wechat, video, app, on_site or other (checked by the service)"
    )
    views = serializers.IntegerField(required=False, default=0)
    plays = serializers.IntegerField(required=False, default=0)
    likes = serializers.IntegerField(required=False, default=0)
    shares = serializers.IntegerField(required=False, default=0)
    participants = serializers.IntegerField(required=False, default=0)


class WorkDetailSerializer(WorkSerializer):
    authors = AuthorSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    reach = ReachSerializer(many=True, read_only=True)
    files = serializers.SerializerMethodField()
    rights_owner = serializers.CharField(read_only=True)
    licence = serializers.CharField(read_only=True)
    rights_until = serializers.DateField(read_only=True, allow_null=True)
    third_party_cleared = serializers.BooleanField(read_only=True)

    class Meta(WorkSerializer.Meta):
        fields = [
            *WorkSerializer.Meta.fields,
            "rights_owner",
            "licence",
            "rights_until",
            "third_party_cleared",
            "authors",
            "decisions",
            "reach",
            "files",
        ]
        read_only_fields = fields

    def get_files(self, work: Any) -> list[dict[str, str]]:
        return [
            {"name": f.file.original_name, "caption": f.caption, "url": api_file_url(f.file_id)}
            for f in work.files.all()
        ]


class WorkListView(APIView):
    pagination_class = Pagination

    @extend_schema(responses=WorkSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "eduworks.view_work_list")
        qs = api_filter(WorkFilter, request, selectors.work_list(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(WorkSerializer(page, many=True).data)


class WorkDetailView(APIView):
    @extend_schema(responses=WorkDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "eduworks.view_work_list")
        return Response(WorkDetailSerializer(selectors.work_get(user=request.user, work_id=pk)).data)


class ReachCreateView(APIView):
    @extend_schema(request=ReachInputSerializer, responses={201: ReachSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Enter one month's reach of a published work on one channel; a month and channel
        already entered, or a negative number, is refused (400) naming the field."""
        require_perm(request, "eduworks.view_work_list")
        work = selectors.work_get(user=request.user, work_id=pk)
        require_perm(request, "eduworks.enter_reach", work)
        data = ReachInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        figure = services.reach_record(actor=request.user, work=work, **data.validated_data)
        return Response(ReachSerializer(figure).data, status=status.HTTP_201_CREATED)
