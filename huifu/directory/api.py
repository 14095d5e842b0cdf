"""REST endpoints of the directory (/api/v1/directory/...). Reads go through the selectors (scoped
by user), writes through the services; a record the caller may not see answers 404."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from huifu.core.filters import api_filter
from huifu.core.http import require_perm
from huifu.core.phones import validate_phone

from . import selectors, services
from .filters import OrganisationListFilter
from .models import BusinessArea, Contact, ContactRole, Department, Liaison, Organisation

# --- organisations -------------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "kind_display",
            "name_zh",
            "name_en",
            "short_name",
            "member_number",
            "uscc",
            "region",
            "status",
            "status_display",
            "email",
            "phone",
            "address",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrganisationWriteSerializer(serializers.Serializer):
    """Input only; the service checks the rules (and which fields this user may change)."""

    kind = serializers.CharField(max_length=32, required=False)
    name_zh = serializers.CharField(max_length=200, required=False)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    short_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    member_number = serializers.CharField(max_length=16, required=False, allow_blank=True, allow_null=True)
    uscc = serializers.CharField(max_length=30, required=False, allow_blank=True, allow_null=True)
    region = serializers.CharField(max_length=16, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, validators=[validate_phone])
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="name, short name, member number or credit code"),
            OpenApiParameter("kind", str),
            OpenApiParameter("status", str),
            OpenApiParameter("region", str),
        ]
    ),
    create=extend_schema(request=OrganisationWriteSerializer, responses={201: OrganisationSerializer}),
    partial_update=extend_schema(request=OrganisationWriteSerializer, responses=OrganisationSerializer),
)
class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Organisations: staff see all, an organisation's users their own. Member Management registers
    and changes them; an org admin may change their own organisation's e-mail, phone and address."""

    serializer_class = OrganisationSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        if self.action == "list":
            require_perm(self.request, "directory.view_organisation_list")
            # the page's filters, declared once (directory/filters.py): a bad value is a 400 naming it
            return api_filter(OrganisationListFilter, self.request, selectors.organisation_list(user=self.request.user))
        return selectors.organisations_visible_to(self.request.user)

    def create(self, request: Request) -> Response:
        require_perm(request, "directory.add_organisation")
        data = _valid(OrganisationWriteSerializer, request.data)
        missing = {f: [_("This field is required.")] for f in ("kind", "name_zh") if not data.get(f)}
        if missing:
            raise ApiValidationError(missing)
        organisation = services.organisation_create(actor=request.user, **data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        organisation = self.get_object()
        data = _valid(OrganisationWriteSerializer, request.data)
        organisation = services.organisation_update(actor=request.user, organisation=organisation, data=data)
        return Response(OrganisationSerializer(organisation).data)


def _valid(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    unknown = set(data) - set(serializer.fields) if hasattr(data, "keys") else set()
    if unknown:
        raise ApiValidationError({k: [_("Unknown field.")] for k in sorted(unknown)})
    return dict(serializer.validated_data)


# --- contacts ------------------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "organisation", "name", "role", "title", "phone", "email", "is_primary", "updated_at"]
        read_only_fields = fields


class ContactWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, help_text="id of the organisation (create only)")
    name = serializers.CharField(max_length=80, required=False)
    role = serializers.ChoiceField(choices=ContactRole.choices, required=False)
    title = serializers.CharField(max_length=80, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, validators=[validate_phone])
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    is_primary = serializers.BooleanField(required=False)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("organisation", int)]),
    create=extend_schema(request=ContactWriteSerializer, responses={201: ContactSerializer}),
    partial_update=extend_schema(request=ContactWriteSerializer, responses=ContactSerializer),
)
class ContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Contact people of organisations, scoped like organisations."""

    serializer_class = ContactSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Contact.objects.none()
        require_perm(self.request, "directory.view_organisation_list")
        qs = selectors.contacts_visible_to(self.request.user).order_by("organisation_id", "-is_primary", "id")
        org = self.request.query_params.get("organisation")
        if self.action == "list" and org:
            qs = qs.filter(organisation_id=org) if org.isdigit() else qs.none()
        return qs

    def create(self, request: Request) -> Response:
        data = _valid(ContactWriteSerializer, request.data)
        org_id = data.pop("organisation", None)
        organisation = (
            selectors.organisations_visible_to(request.user).filter(pk=org_id).first() if org_id is not None else None
        )
        if organisation is None or not request.user.has_perm("directory.add_contact", organisation):
            raise ApiValidationError(
                {"organisation": [_("Give the id of an organisation you may add contacts to (your own organisation).")]}
            )
        if not data.get("name"):
            raise ApiValidationError({"name": [_("This field is required.")]})
        contact = services.contact_create(actor=request.user, organisation=organisation, **data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        contact = self.get_object()
        data = _valid(ContactWriteSerializer, request.data)
        if "organisation" in data and data["organisation"] != contact.organisation_id:
            raise ApiValidationError({"organisation": [_("A contact cannot be moved to another organisation.")]})
        data.pop("organisation", None)
        require_perm(request, "directory.change_contact", contact)
        contact = services.contact_update(actor=request.user, contact=contact, data=data)
        return Response(ContactSerializer(contact).data)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        contact = self.get_object()
        require_perm(request, "directory.delete_contact", contact)
        services.contact_delete(actor=request.user, contact=contact)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- departments and liaison people ---------------------------------------------------------------


class BusinessAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = BusinessArea
        fields = ["id", "name_zh", "name_en"]


class LiaisonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Liaison
        fields = ["id", "business_area", "name", "title", "phone", "email", "updated_at"]


class DepartmentSerializer(serializers.ModelSerializer):
    business_areas = BusinessAreaSerializer(many=True, read_only=True)
    liaisons = LiaisonSerializer(many=True, read_only=True, help_text="published liaison people")

    class Meta:
        model = Department
        fields = ["id", "code", "kind", "name_zh", "name_en", "description", "updated_at", "business_areas", "liaisons"]


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The published 'departments and liaison people' list, for staff, member, partner and regulator users."""

    serializer_class = DepartmentSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Department.objects.none()
        require_perm(self.request, "directory.view_liaisons")
        return selectors.published_departments()
