"""REST API for Member Voice feedback, /api/v1/feedback/. Thin: serializers parse, selectors
read (scoped by the caller, so another company's form, item or reply answers 404), services
write. Errors use the project envelope (huifu/api/errors.py).

Members: their company's forms (list, detail, submit with an ``Idempotency-Key``), items,
sent replies, a satisfaction rating on a sent reply, collective answers addressed to them.
Staff: every form, item and reply; the coordinator assigns items.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.accounts.models import User, UserKind
from huifu.accounts.predicates import is_staff_user
from huifu.api.pagination import CursorPagination, Pagination
from huifu.core.filters import api_filter, api_filter_qs
from huifu.core.http import require_perm
from huifu.core.phones import validate_phone
from huifu.directory.models import Department, Organisation
from huifu.files import kinds
from huifu.files.api import api_file_url
from huifu.files.services import file_store
from huifu.tracking.services import tracked_for

from . import selectors, services
from .filters import FormFilter, ItemFilter
from .models import Channel, CollectiveAnswer, FeedbackForm, FeedbackItem, ItemStatus, Reply
from .services.common import FORM_KIND, SEAL_PURPOSE

IDEMPOTENCY_HEADER = "Idempotency-Key"


def _file_url(file_id: Any) -> str | None:
    return api_file_url(file_id)


def _paginate(view: APIView, request: Request, qs: Any, serializer: Any) -> Response:
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True, context={"request": request}).data)


# --- serializers ------------------------------------------------------------------------------------


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="name_zh")


class TopicRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class ItemSerializer(serializers.ModelSerializer):
    form = serializers.IntegerField(source="form_id", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    collective_answer = serializers.IntegerField(source="collective_answer_id", read_only=True, allow_null=True)

    class Meta:
        model = FeedbackItem
        fields = ["id", "form", "organisation", "kind", "number", "text", "status", "collective_answer"]
        read_only_fields = fields


class StaffItemSerializer(ItemSerializer):
    owner = serializers.SerializerMethodField()
    departments = NamedSerializer(many=True, read_only=True)
    topics = TopicRefSerializer(many=True, read_only=True)

    class Meta(ItemSerializer.Meta):
        fields = [*ItemSerializer.Meta.fields, "owner", "departments", "topics"]
        read_only_fields = fields

    def get_owner(self, item: FeedbackItem) -> dict[str, Any] | None:
        if item.owner_id is None:
            return None
        return {"id": item.owner_id, "name": item.owner.full_name or item.owner.email}


class FormSerializer(serializers.ModelSerializer):
    organisation = NamedSerializer(read_only=True)
    serial = serializers.CharField(source="serial_display", read_only=True)
    items_count = serializers.IntegerField(source="n_items", read_only=True, default=None)
    has_reply = serializers.BooleanField(read_only=True, default=False)
    due_at = serializers.DateTimeField(read_only=True, default=None)
    deadline_status = serializers.CharField(source="tracked_status", read_only=True, default=None)
    on_time = serializers.BooleanField(source="tracked_on_time", read_only=True, default=None, allow_null=True)

    class Meta:
        model = FeedbackForm
        fields = [
            "id",
            "organisation",
            "year",
            "serial",
            "form_date",
            "status",
            "channel",
            "received_at",
            "items_count",
            "has_reply",
            "due_at",
            "deadline_status",
            "on_time",
        ]
        read_only_fields = fields


class DeadlineSerializer(serializers.Serializer):
    status = serializers.CharField()
    due_at = serializers.DateTimeField()
    provisional = serializers.BooleanField()
    paused_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)


class FormDetailSerializer(FormSerializer):
    seal_scan_url = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    reply = serializers.SerializerMethodField()

    class Meta(FormSerializer.Meta):
        fields = [
            *FormSerializer.Meta.fields,
            "contact_name",
            "phone",
            "email",
            "pause_reason",
            "member_clarification",
            "seal_scan_url",
            "items",
            "deadline",
            "reply",
        ]
        read_only_fields = fields

    def _user(self) -> Any:
        return self.context["request"].user

    def get_seal_scan_url(self, form: FeedbackForm) -> str | None:
        return _file_url(form.seal_scan_id)

    def get_items(self, form: FeedbackForm) -> list[dict[str, Any]]:
        cls = StaffItemSerializer if is_staff_user(self._user()) else ItemSerializer
        return cls(form.items.all(), many=True).data

    def get_deadline(self, form: FeedbackForm) -> dict[str, Any] | None:
        tracked = tracked_for(form, FORM_KIND)
        return DeadlineSerializer(tracked).data if tracked is not None else None

    def get_reply(self, form: FeedbackForm) -> int | None:
        reply = selectors.reply_for(user=self._user(), form=form)
        return reply.pk if reply is not None else None


class ReplySerializer(serializers.ModelSerializer):
    form = serializers.IntegerField(source="form_id", read_only=True)
    organisation = serializers.IntegerField(source="form.organisation_id", read_only=True)
    letter_url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()
    satisfaction = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = [
            "id",
            "form",
            "organisation",
            "mode",
            "status",
            "text",
            "meeting_at",
            "meeting_minutes",
            "meeting_link",
            "attendees",
            "minutes",
            "sent_at",
            "letter_url",
            "ics_url",
            "satisfaction",
        ]
        read_only_fields = fields

    def get_letter_url(self, reply: Reply) -> str | None:
        return _file_url(reply.letter_id)

    def get_ics_url(self, reply: Reply) -> str | None:
        return _file_url(reply.ics_id)

    def get_satisfaction(self, reply: Reply) -> dict[str, Any] | None:
        sat = getattr(reply, "satisfaction", None) if hasattr(reply, "satisfaction") else None
        return {"rating": sat.rating, "comment": sat.comment} if sat is not None else None


class CollectiveAnswerSerializer(serializers.ModelSerializer):
    topic = TopicRefSerializer(read_only=True)
    notice = serializers.IntegerField(source="notice_id", read_only=True, allow_null=True)

    class Meta:
        model = CollectiveAnswer
        fields = [
            "id",
            "topic",
            "mode",
            "title",
            "text",
            "meeting_at",
            "meeting_link",
            "audience_kind",
            "notice",
            "published_at",
        ]
        read_only_fields = fields


class FormSubmitSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        required=False, help_text="Staff only (entry on behalf of a company); a member's own company is implied."
    )
    contact_name = serializers.CharField(max_length=80)
    phone = serializers.CharField(max_length=40, validators=[validate_phone])
    email = serializers.EmailField()
    form_date = serializers.DateField()
    suggestions = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list)
    help_requests = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list)
    seal_scan = serializers.FileField(required=False, help_text="The company seal as a scan (PDF, PNG or JPEG).")
    idempotency_key = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=f"Or the {IDEMPOTENCY_HEADER} header."
    )


class AssignSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(kind=UserKind.STAFF, is_active=True))
    departments = serializers.PrimaryKeyRelatedField(many=True, allow_empty=False, queryset=Department.objects.all())


class SatisfactionSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


# --- views ----------------------------------------------------------------------------------------------


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError({name: [_("Enter a whole number.")]}) from None


def _organisation_for_submit(request: Request, data: dict[str, Any]) -> Organisation:
    """A member submits for its own company (another company's id is refused, naming the field);
    staff name the company."""
    user = request.user
    org_id = data.get("organisation")
    if not is_staff_user(user):
        if org_id is not None and org_id != user.organisation_id:
            raise ValidationError({"organisation": [_("You can only submit feedback for your own company.")]})
        if user.organisation is None:
            raise PermissionDenied
        return user.organisation
    if org_id is None:
        raise ValidationError({"organisation": [_("Choose the company.")]})
    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None:
        raise ValidationError({"organisation": [_("Unknown company.")]})
    return organisation


class FormListApi(APIView):
    pagination_class = CursorPagination  # the schema then describes the page this view returns
    cursor_ordering = "-received_at"

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="A form status, or “open”."),
            OpenApiParameter("organisation", int, description="Staff: one company."),
            OpenApiParameter("channel", str, enum=Channel.values),
            OpenApiParameter("q", str, description="Staff: text in the items or the contact's name."),
        ],
        responses=FormSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """The caller's company's submitted forms (members) or every form (staff), newest first,
        by cursor pages."""
        require_perm(request, "servicedesk.view_feedback_list")
        # the page's filters, declared once (servicedesk/filters.py): a bad value is a 400 naming it
        filters = FormFilter(request.query_params, queryset=selectors.forms_for(request.user), request=request)
        parts = selectors.form_row_parts(api_filter_qs(filters), search=filters.search)
        return _paginate(self, request, parts, FormSerializer)

    @extend_schema(
        request={"application/json": FormSubmitSerializer, "multipart/form-data": FormSubmitSerializer},
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                location=OpenApiParameter.HEADER,
                description="Same key, same company: the first form is returned (200) instead of a new one.",
            )
        ],
        responses={201: FormDetailSerializer, 200: FormDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        """Submit a form: it takes the company's next serial number and the reply clock starts.
        A retried request with the same idempotency key answers the first form (200)."""
        serializer = FormSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = _organisation_for_submit(request, data)
        require_perm(request, "servicedesk.submit_feedback", organisation)
        key = (request.headers.get(IDEMPOTENCY_HEADER) or data.get("idempotency_key") or "").strip()[:64]
        # A cheap early answer for a plain retry; a replay racing the first request is caught by
        # the service (under the company's serial lock), and then nothing of this request is kept.
        replay = bool(key) and FeedbackForm.objects.filter(organisation=organisation, idempotency_key=key).exists()
        with transaction.atomic():
            seal = None
            if data.get("seal_scan") is not None and not replay:
                try:
                    seal = file_store(
                        upload=data["seal_scan"],
                        actor=request.user,
                        organisation=organisation,
                        purpose=SEAL_PURPOSE,
                        allowed_kinds=(kinds.PDF, kinds.PNG, kinds.JPEG),
                    )
                except DjangoValidationError as exc:
                    raise ValidationError({"seal_scan": exc.messages}) from None
            outcome = services.feedback_submit_with_outcome(
                organisation=organisation,
                actor=request.user,
                contact_name=data["contact_name"],
                phone=data["phone"],
                email=data["email"],
                form_date=data["form_date"],
                suggestions=data["suggestions"],
                help_requests=data["help_requests"],
                seal_scan=seal,
                channel=Channel.STAFF if is_staff_user(request.user) else Channel.PORTAL,
                idempotency_key=key or None,
            )
            if not outcome.created:
                # A replay keeps nothing: the seal stored for it is rolled back, and its blob is
                # removed when the request ends (huifu.files.services).
                transaction.set_rollback(True)
        form = selectors.form_get(user=request.user, form_id=outcome.form.pk)
        return Response(
            FormDetailSerializer(form, context={"request": request}).data,
            status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK,
        )


class FormDetailApi(APIView):
    @extend_schema(responses=FormDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        """One form with its items, deadline and reply id. Another company's form answers 404."""
        require_perm(request, "servicedesk.view_feedback_list")
        form = selectors.form_get(user=request.user, form_id=pk)
        return Response(FormDetailSerializer(form, context={"request": request}).data)


class ItemListApi(APIView):
    pagination_class = CursorPagination  # the schema then describes the page this view returns

    @extend_schema(
        parameters=[
            OpenApiParameter("form", int),
            OpenApiParameter("topic", int, description="Staff: items tagged with this topic."),
            OpenApiParameter("status", str, enum=ItemStatus.values),
        ],
        responses=StaffItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """Items of the caller's company's forms (members) or every item (staff; with owner,
        departments and topics), newest first, by cursor pages."""
        require_perm(request, "servicedesk.view_feedback_list")
        qs = selectors.item_rows(api_filter(ItemFilter, request, selectors.items_for(request.user)))
        cls = StaffItemSerializer if is_staff_user(request.user) else ItemSerializer
        return _paginate(self, request, qs, cls)


class ItemDetailApi(APIView):
    @extend_schema(responses=StaffItemSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "servicedesk.view_feedback_list")
        item = selectors.item_get(user=request.user, item_id=pk)
        cls = StaffItemSerializer if is_staff_user(request.user) else ItemSerializer
        return Response(cls(item).data)


class ItemAssignApi(APIView):
    @extend_schema(request=AssignSerializer, responses=StaffItemSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """The coordinator gives the item an owner and one or more departments (the first leads);
        every assigned department's staff see it in their work queue."""
        require_perm(request, "servicedesk.view_feedback_list")
        item = selectors.item_get(user=request.user, item_id=pk)
        require_perm(request, "servicedesk.assign_item", item)
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.item_assign(
            item=item,
            owner=serializer.validated_data["owner"],
            departments=serializer.validated_data["departments"],
            actor=request.user,
        )
        return Response(StaffItemSerializer(selectors.item_get(user=request.user, item_id=pk)).data)


class ReplyListApi(APIView):
    pagination_class = CursorPagination  # the schema then describes the page this view returns

    @extend_schema(parameters=[OpenApiParameter("form", int)], responses=ReplySerializer(many=True))
    def get(self, request: Request) -> Response:
        """Sent replies to the caller's company (members); every reply, drafts too (staff);
        newest first, by cursor pages."""
        require_perm(request, "servicedesk.view_feedback_list")
        qs = selectors.replies_for(request.user)
        form_id = _int_param(request, "form")
        if form_id:
            qs = qs.filter(form_id=form_id)
        return _paginate(self, request, qs, ReplySerializer)


class ReplyDetailApi(APIView):
    @extend_schema(responses=ReplySerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "servicedesk.view_feedback_list")
        return Response(ReplySerializer(selectors.reply_get(user=request.user, reply_id=pk)).data)


class SatisfactionApi(APIView):
    @extend_schema(request=SatisfactionSerializer, responses={200: ReplySerializer})
    def post(self, request: Request, pk: int) -> Response:
        """The member rates a sent reply to its company (1–5, with a comment); rating again
        replaces the first rating."""
        require_perm(request, "servicedesk.view_feedback_list")
        reply = selectors.reply_get(user=request.user, reply_id=pk)
        require_perm(request, "servicedesk.rate_reply", reply)
        serializer = SatisfactionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.satisfaction_record(reply=reply, actor=request.user, **serializer.validated_data)
        return Response(ReplySerializer(selectors.reply_get(user=request.user, reply_id=pk)).data)


class CollectiveAnswerListApi(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=CollectiveAnswerSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Collective answers addressed to all members or to the caller's company (staff: all)."""
        require_perm(request, "servicedesk.view_feedback_list")
        return _paginate(self, request, selectors.collective_answers_for(request.user), CollectiveAnswerSerializer)


class CollectiveAnswerDetailApi(APIView):
    @extend_schema(responses=CollectiveAnswerSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "servicedesk.view_feedback_list")
        answer = selectors.collective_answer_get(user=request.user, answer_id=pk)
        return Response(CollectiveAnswerSerializer(answer).data)
