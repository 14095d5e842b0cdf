"""API: the current user, user management (same scope as the pages) and own tokens."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from huifu.core.http import require_perm
from huifu.core.phones import validate_phone
from huifu.directory.models import Department, Organisation

from . import services
from .models import OrgRole, PersonalAccessToken, User, UserKind
from .selectors import (
    UserFilters,
    assignable_departments,
    manageable_organisations,
    token_get,
    token_list,
    user_get,
    user_list,
)

SCOPED_CHOICE_MESSAGE = "Invalid id {pk_value}: it does not exist or is outside what you manage."


class _OrganisationBrief(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name_zh", "name_en", "kind"]


class _DepartmentBrief(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name_zh", "name_en", "kind"]


class UserOut(serializers.ModelSerializer):
    organisation = _OrganisationBrief(read_only=True)
    department = _DepartmentBrief(read_only=True)
    mfa_required = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "phone",
            "kind",
            "organisation",
            "org_role",
            "department",
            "is_department_head",
            "is_active",
            "preferred_language",
            "mfa_required",
            "date_joined",
            "last_login",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class _ScopedPk(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": SCOPED_CHOICE_MESSAGE}

    def __init__(self, *, scope: Any, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return self.scope(actor=self.context["request"].user)


class UserCreateIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(max_length=80)
    phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", validators=[validate_phone]
    )
    kind = serializers.ChoiceField(choices=[UserKind.STAFF, UserKind.MEMBER, UserKind.PARTNER, UserKind.REGULATOR])
    organisation = _ScopedPk(scope=manageable_organisations, required=False, allow_null=True, default=None)
    org_role = serializers.ChoiceField(choices=OrgRole.choices, required=False, allow_blank=True, default="")
    department = _ScopedPk(scope=assignable_departments, required=False, allow_null=True, default=None)
    is_department_head = serializers.BooleanField(required=False, default=False)
    preferred_language = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")


class UserUpdateIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=80, required=False)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, validators=[validate_phone])
    org_role = serializers.ChoiceField(choices=OrgRole.choices, required=False)
    department = _ScopedPk(scope=assignable_departments, required=False)
    is_department_head = serializers.BooleanField(required=False)
    preferred_language = serializers.CharField(max_length=8, required=False, allow_blank=True)


class TokenOut(serializers.ModelSerializer):
    is_usable = serializers.SerializerMethodField()

    class Meta:
        model = PersonalAccessToken
        fields = ["id", "name", "key_prefix", "created_at", "last_used_at", "expires_at", "revoked_at", "is_usable"]
        read_only_fields = fields

    def get_is_usable(self, token: PersonalAccessToken) -> bool:
        return token.revoked_at is None and (token.expires_at is None or token.expires_at > self.context["now"])


class TokenCreateIn(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class TokenCreatedOut(TokenOut):
    token = serializers.CharField(read_only=True, help_text="The raw token. Shown once; store it now.")

    class Meta(TokenOut.Meta):
        fields = [*TokenOut.Meta.fields, "token"]
        read_only_fields = fields


class MeApi(GenericAPIView):
    serializer_class = UserOut
    pagination_class = None

    @extend_schema(summary="The current user", responses=UserOut)
    def get(self, request: Request) -> Response:
        return Response(UserOut(request.user).data)


class UserListApi(GenericAPIView):
    serializer_class = UserOut

    @extend_schema(
        summary="List users (coordinator: all; org admin: own organisation)",
        parameters=[
            OpenApiParameter("q", str, description="search e-mail, name or organisation"),
            OpenApiParameter("kind", str, enum=UserKind.values),
            OpenApiParameter("active", str, enum=["yes", "no"]),
        ],
        responses=UserOut(many=True),
    )
    def get(self, request: Request) -> Response:
        require_perm(request, "accounts.view_user_list")
        filters = UserFilters(
            q=request.query_params.get("q", "").strip()[:100],
            kind=request.query_params.get("kind", ""),
            active=request.query_params.get("active", ""),
        )
        page = self.paginate_queryset(user_list(actor=request.user, filters=filters))
        return self.get_paginated_response(UserOut(page, many=True).data)

    @extend_schema(
        summary="Create a user (a link to set the password is e-mailed)", request=UserCreateIn, responses={201: UserOut}
    )
    def post(self, request: Request) -> Response:
        require_perm(request, "accounts.add_user")
        data_in = UserCreateIn(data=request.data, context={"request": request})
        data_in.is_valid(raise_exception=True)
        user = services.user_create(actor=request.user, **data_in.validated_data)
        return Response(UserOut(user).data, status=status.HTTP_201_CREATED)


class UserDetailApi(GenericAPIView):
    serializer_class = UserOut

    @extend_schema(summary="One user", responses=UserOut)
    def get(self, request: Request, user_id: int) -> Response:
        require_perm(request, "accounts.view_user_list")
        return Response(UserOut(user_get(actor=request.user, user_id=user_id)).data)

    @extend_schema(summary="Change a user", request=UserUpdateIn, responses=UserOut)
    def patch(self, request: Request, user_id: int) -> Response:
        require_perm(request, "accounts.view_user_list")
        target = user_get(actor=request.user, user_id=user_id)
        require_perm(request, "accounts.change_user", target)
        data_in = UserUpdateIn(data=request.data, context={"request": request}, partial=True)
        data_in.is_valid(raise_exception=True)
        user = services.user_update(user=target, actor=request.user, **data_in.validated_data)
        return Response(UserOut(user).data)


class UserDeactivateApi(GenericAPIView):
    serializer_class = UserOut

    @extend_schema(
        summary="Deactivate a user: sessions end and API tokens are revoked at once", request=None, responses=UserOut
    )
    def post(self, request: Request, user_id: int) -> Response:
        require_perm(request, "accounts.view_user_list")
        target = user_get(actor=request.user, user_id=user_id)
        require_perm(request, "accounts.change_user", target)
        return Response(UserOut(services.user_deactivate(user=target, actor=request.user)).data)


class UserReactivateApi(GenericAPIView):
    serializer_class = UserOut

    @extend_schema(summary="Reactivate a user (tokens stay revoked)", request=None, responses=UserOut)
    def post(self, request: Request, user_id: int) -> Response:
        require_perm(request, "accounts.view_user_list")
        target = user_get(actor=request.user, user_id=user_id)
        require_perm(request, "accounts.change_user", target)
        return Response(UserOut(services.user_reactivate(user=target, actor=request.user)).data)


class TokenListApi(GenericAPIView):
    serializer_class = TokenOut

    @extend_schema(summary="Your personal access tokens", responses=TokenOut(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(token_list(user=request.user))
        return self.get_paginated_response(TokenOut(page, many=True, context={"now": timezone.now()}).data)

    @extend_schema(
        summary="Create a token; the raw value is in this response only",
        request=TokenCreateIn,
        responses={201: TokenCreatedOut},
    )
    def post(self, request: Request) -> Response:
        require_perm(request, "accounts.manage_own_tokens")
        data_in = TokenCreateIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        token, raw = services.token_create(user=request.user, actor=request.user, **data_in.validated_data)
        token.token = raw  # type: ignore[attr-defined]
        response = Response(
            TokenCreatedOut(token, context={"now": timezone.now()}).data, status=status.HTTP_201_CREATED
        )
        response["Cache-Control"] = "no-store"
        return response


class TokenDetailApi(GenericAPIView):
    serializer_class = TokenOut

    @extend_schema(summary="Revoke one of your tokens", responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        require_perm(request, "accounts.manage_own_tokens")
        token = token_get(user=request.user, token_id=token_id)
        services.token_revoke(token=token, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
