"""REST API: the published materials of a published session that the user may see,
/api/v1/events/sessions/<id>/materials/. Same rule as the public page: a withdrawn material is
gone from the answer at once."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .selectors_materials import published_materials


class MaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    audience = serializers.CharField()
    published_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()
    file_name = serializers.SerializerMethodField()
    size = serializers.SerializerMethodField()

    def get_url(self, material: Any) -> str:
        request = self.context.get("request")
        url = material.get_download_url()
        return request.build_absolute_uri(url) if request is not None and not material.link else url

    def get_file_name(self, material: Any) -> str | None:
        return material.file.original_name if material.file else None

    def get_size(self, material: Any) -> int | None:
        return material.file.size if material.file else None


class SessionMaterialsView(APIView):
    @extend_schema(summary="Published materials of a session", responses=MaterialSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        session = selectors.public_session_get(session_id=pk)
        items = published_materials(user=request.user, session=session)
        return Response(MaterialSerializer(items, many=True, context={"request": request}).data)
