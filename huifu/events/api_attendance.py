"""REST API for online attendance, the same three steps as the pages (upload → preview → confirm),
for a co-organiser or the events team that gets the meeting platform's export by script:

* ``POST /api/v1/events/sessions/<id>/attendance-imports/`` (multipart: ``file``, ``platform``):
  reads the export into a draft and answers its preview (201). Nothing about attendance changes.
* ``GET /api/v1/events/attendance-imports/<id>/``: the preview of a draft, or what a confirmed
  import applied.
* ``POST …/attendance-imports/<id>/mapping/`` (JSON: ``header_index``, ``columns``,
  ``time_format``): choose the header line and columns of another platform's export.
* ``POST …/attendance-imports/<id>/confirm/`` (JSON: ``fingerprint`` of the preview read,
  ``accept_problems``): applies it; refusals carry the service's code (``stale``, ``problems``,
  ``columns``, ``no_match``, ``not_draft``…).
* ``GET /api/v1/events/sessions/<id>/attendance/``: the rule in force and, per confirmed
  registration, the seconds present and the decision.

Scoped like the pages: the session is looked up through the user's scope first (another
co-organiser's session or import is a 404), then ``events.import_attendance`` /
``events.view_attendance`` decide. The preview reports per line and field what was read and what
could not be (the importer never guesses a person).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.core.http import require_perm

from . import selectors
from . import selectors_attendance as att
from .attendance_analysis import FIELDS, TimeFormat, resolve_columns
from .models import AttendanceImport, AttendanceImportState, Session
from .services import attendance as services

# --- serializers -----------------------------------------------------------------------------------


class AttendanceColumnsSerializer(serializers.Serializer):
    header_index = serializers.IntegerField(allow_null=True, help_text="Index of the header among the file's lines.")
    header_line = serializers.IntegerField(allow_null=True, help_text="The header's line (row) number in the file.")
    names = serializers.DictField(child=serializers.CharField(), help_text="Field → the header text in the file.")
    time_format = serializers.CharField()
    complete = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class AttendanceLineProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Line (row) number in the file.")
    field = serializers.CharField()
    message = serializers.CharField()


class AttendanceOutcomeSerializer(serializers.Serializer):
    registration = serializers.IntegerField()
    name = serializers.CharField()
    seconds_present = serializers.IntegerField()
    seconds_in_schedule = serializers.IntegerField()
    attended = serializers.BooleanField()
    lines = serializers.ListField(child=serializers.IntegerField(), help_text="File lines matched to the person.")


class AttendanceRuleSerializer(serializers.Serializer):
    min_percent = serializers.IntegerField()
    source = serializers.CharField(help_text="stamped, session, series or default")


class AttendanceImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField()
    state = serializers.CharField()
    original_name = serializers.CharField()
    file_format = serializers.CharField()
    encoding = serializers.CharField()
    platform = serializers.CharField()
    lines_read = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    applied_at = serializers.DateTimeField(allow_null=True)
    rule = AttendanceRuleSerializer()
    columns = AttendanceColumnsSerializer()
    fingerprint = serializers.CharField(
        allow_null=True, help_text="Send it back to confirm exactly this preview (null: columns incomplete)."
    )
    identical = serializers.BooleanField(help_text="The attendance in force is the same: confirming changes nothing.")
    matched_lines = serializers.IntegerField(allow_null=True)
    problem_lines = serializers.IntegerField(allow_null=True)
    problems = AttendanceLineProblemSerializer(many=True)
    outcomes = AttendanceOutcomeSerializer(many=True)


class AttendanceMappingInputSerializer(serializers.Serializer):
    header_index = serializers.IntegerField(min_value=0, required=False)
    columns = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    time_format = serializers.ChoiceField(choices=sorted(TimeFormat.VALUES), required=False)

    def validate_columns(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown field(s): %(unknown)s; the fields are %(fields)s.")
                % {"unknown": ", ".join(unknown), "fields": ", ".join(FIELDS)}
            )
        return {k: v for k, v in value.items() if v}


class AttendanceConfirmInputSerializer(serializers.Serializer):
    fingerprint = serializers.CharField(max_length=128)
    accept_problems = serializers.BooleanField(default=False)


class AttendanceConfirmSerializer(serializers.Serializer):
    changed = serializers.BooleanField()
    attendance_import = AttendanceImportSerializer()
    superseded = serializers.IntegerField(allow_null=True)


class AttendanceUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".csv (UTF-8 or GB18030) or .xlsx, the layout of the attendance page")
    platform = serializers.CharField(max_length=100, required=False, allow_blank=True)


class AttendanceRowSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="person.full_name")
    organisation = serializers.CharField(source="organisation.name_zh", default="")
    seconds_present = serializers.SerializerMethodField()
    attended = serializers.SerializerMethodField()

    def get_seconds_present(self, registration: Any) -> int | None:
        return registration.record_list[0].seconds_present if registration.record_list else None

    def get_attended(self, registration: Any) -> bool | None:
        return registration.record_list[0].attended if registration.record_list else None


class AttendanceSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    rule = AttendanceRuleSerializer()
    current_import = serializers.IntegerField(allow_null=True)
    registrations = AttendanceRowSerializer(many=True)


# --- the answer of one import ------------------------------------------------------------------------


def _columns(columns: Any, draft: AttendanceImport) -> dict[str, Any]:
    index = columns.header_index
    return {
        "header_index": index,
        "header_line": draft.line_numbers[index] if index is not None and index < len(draft.line_numbers) else None,
        "names": dict(columns.names),
        "time_format": columns.time_format,
        "complete": columns.complete,
        "problems": [str(p) for p in columns.problems],
    }


def _import_data(draft: AttendanceImport) -> dict[str, Any]:
    base = {
        "id": draft.pk,
        "session": draft.session_id,
        "state": draft.state,
        "original_name": draft.original_name,
        "file_format": draft.file_format,
        "encoding": draft.encoding,
        "platform": draft.platform,
        "lines_read": draft.lines_read,
        "created_at": draft.created_at,
        "applied_at": draft.applied_at,
    }
    if draft.state != AttendanceImportState.DRAFT:
        # What was applied, as stored (today's registrations would give another analysis).
        result = att.attendance_result(draft.session)
        records = draft.records.select_related("registration__person").order_by("registration_id")
        return {
            **base,
            "rule": {"min_percent": result.min_percent, "source": "stamped"} if result else None,
            "columns": _columns(resolve_columns(draft.lines, draft.mapping), draft),
            "fingerprint": draft.fingerprint,
            "identical": False,
            "matched_lines": draft.lines_matched,
            "problem_lines": draft.lines_skipped,
            "problems": list(draft.problems or []),
            "outcomes": [
                {
                    "registration": r.registration_id,
                    "name": r.registration.person.full_name,
                    "seconds_present": r.seconds_present,
                    "seconds_in_schedule": r.seconds_in_schedule,
                    "attended": r.attended,
                    "lines": list(r.lines or []),
                }
                for r in records
            ],
        }
    preview = services.attendance_analyse(draft=draft)
    analysis = preview.analysis
    return {
        **base,
        "rule": {"min_percent": preview.rule.min_percent, "source": preview.rule.source},
        "columns": _columns(preview.columns, draft),
        "fingerprint": analysis.fingerprint() if analysis else None,
        "identical": preview.identical,
        "matched_lines": analysis.matched_lines if analysis else None,
        "problem_lines": analysis.problem_lines if analysis else None,
        "problems": [
            {"line": line.number, "field": field, "message": str(message)}
            for line in (analysis.lines if analysis else [])
            for field, message in line.problems
        ],
        "outcomes": [
            {
                "registration": o.registration_id,
                "name": preview.people[o.registration_id].name,
                "seconds_present": o.seconds_present,
                "seconds_in_schedule": o.seconds_in_schedule,
                "attended": o.attended,
                "lines": list(o.lines),
            }
            for o in (analysis.outcomes.values() if analysis else [])
        ],
    }


def _session(request: Request, pk: int, perm: str) -> Session:
    require_perm(request, "events.view_session_list")
    session = selectors.session_get(user=request.user, session_id=pk)  # another's session: 404
    require_perm(request, perm, session)
    return session


def _import(request: Request, import_id: int) -> AttendanceImport:
    # Before the lookup: someone who may see no session gets the same 403 whether the id exists.
    require_perm(request, "events.view_session_list")
    session_id = AttendanceImport.objects.filter(pk=import_id).values_list("session_id", flat=True).first()
    if session_id is None:
        raise Http404
    session = _session(request, session_id, "events.import_attendance")
    return att.attendance_draft_get(user=request.user, session=session, import_id=import_id)


# --- views -------------------------------------------------------------------------------------------


class AttendanceImportCreateView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Upload a meeting platform's participant export (a draft with its preview)",
        request={"multipart/form-data": AttendanceUploadInputSerializer},
        responses={201: AttendanceImportSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        session = _session(request, pk, "events.import_attendance")
        data = AttendanceUploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.attendance_upload(
            actor=request.user,
            session=session,
            upload=data.validated_data["file"],
            platform=data.validated_data.get("platform", ""),
        )
        return Response(AttendanceImportSerializer(_import_data(draft)).data, status=status.HTTP_201_CREATED)


class AttendanceImportDetailView(APIView):
    @extend_schema(
        summary="The preview of a draft import, or what a confirmed import applied",
        responses=AttendanceImportSerializer,
    )
    def get(self, request: Request, import_id: int) -> Response:
        return Response(AttendanceImportSerializer(_import_data(_import(request, import_id))).data)


class AttendanceImportMappingView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Choose the header line and the columns of a draft import",
        request=AttendanceMappingInputSerializer,
        responses=AttendanceImportSerializer,
    )
    def post(self, request: Request, import_id: int) -> Response:
        draft = _import(request, import_id)
        data = AttendanceMappingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        header_index = data.validated_data.get("header_index", draft.mapping.get("header_index"))
        # Another header line without columns: its columns are found by the default layout (the
        # old columns name headers of the old line).
        same_header = header_index == draft.mapping.get("header_index")
        mapping = {
            "header_index": header_index,
            "columns": data.validated_data.get("columns", (draft.mapping.get("columns") or {}) if same_header else {}),
            "time_format": data.validated_data.get("time_format", draft.mapping.get("time_format")),
        }
        draft = services.attendance_draft_map(actor=request.user, draft=draft, mapping=mapping)
        return Response(AttendanceImportSerializer(_import_data(draft)).data)


class AttendanceImportConfirmView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Apply a previewed draft import",
        request=AttendanceConfirmInputSerializer,
        responses=AttendanceConfirmSerializer,
    )
    def post(self, request: Request, import_id: int) -> Response:
        draft = _import(request, import_id)
        data = AttendanceConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.attendance_confirm(actor=request.user, draft=draft, **data.validated_data)
        applied = AttendanceImport.objects.select_related("session").get(pk=outcome.attendance_import.pk)
        return Response(
            AttendanceConfirmSerializer(
                {
                    "changed": outcome.changed,
                    "attendance_import": _import_data(applied),
                    "superseded": outcome.superseded.pk if outcome.superseded else None,
                }
            ).data
        )


class SessionAttendanceView(APIView):
    @extend_schema(summary="Online attendance of a session per confirmed registration", responses=AttendanceSerializer)
    def get(self, request: Request, pk: int) -> Response:
        session = _session(request, pk, "events.view_attendance")
        rule = services.attendance_rule_for(session)
        result = att.attendance_result(session)
        return Response(
            AttendanceSerializer(
                {
                    "session": session.pk,
                    "rule": {"min_percent": rule.min_percent, "source": rule.source},
                    "current_import": result.current_import_id if result else None,
                    "registrations": list(att.attendance_rows(session=session)),
                }
            ).data
        )
