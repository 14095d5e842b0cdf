"""Reads of online attendance. The one place other code (statistics, exports, surveys) asks
"did this registration attend online": ``attended_online_q`` on ``Registration`` querysets,
``attendance_for_session`` per session. Only the session's import in force counts (one
``applied`` import per session, database constraint); superseded imports are history."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from .models import (
    AttendanceImport,
    AttendanceImportState,
    AttendanceRecord,
    AttendanceResult,
    Registration,
    RegistrationState,
    Session,
)


def records_in_force() -> QuerySet[AttendanceRecord]:
    """Every attendance record of an import in force (one per confirmed registration imported)."""
    return AttendanceRecord.objects.filter(attendance_import__state=AttendanceImportState.APPLIED)


def attended_online_q(prefix: str = "") -> Q:
    """``Registration`` filter: attended online by the session's stamped rule (``prefix`` is the
    path to a registration, e.g. ``"registration__"``). A subquery, so counting with it never
    multiplies rows."""
    return Q(Exists(records_in_force().filter(registration=OuterRef(f"{prefix}pk"), attended=True)))


def attendance_for_session(session: Session) -> dict[int, AttendanceRecord]:
    """registration id → its record of the import in force; empty before any import. A confirmed
    registration absent from the file has a record with 0 seconds (attended False)."""
    return {r.registration_id: r for r in records_in_force().filter(attendance_import__session=session)}


def attendance_result(session: Session) -> AttendanceResult | None:
    """The stamped rule and the import in force, or None before the first import."""
    return AttendanceResult.objects.filter(session=session).select_related("current_import").first()


def attendance_rows(*, session: Session) -> QuerySet[Registration]:
    """The confirmed registrations of a session with their record in force (``record_list``:
    zero or one item), for the result list. Constant queries."""
    from django.db.models import Prefetch

    return (
        Registration.objects.filter(session=session, state=RegistrationState.CONFIRMED)
        .select_related("person", "organisation")
        .prefetch_related(
            Prefetch(
                "attendance_records",
                queryset=records_in_force().filter(attendance_import__session=session),
                to_attr="record_list",
            )
        )
        .order_by("person__full_name", "pk")
    )


def attendance_imports(*, session: Session) -> QuerySet[AttendanceImport]:
    """The session's confirmed imports, newest first (in force, then superseded): the history."""
    return (
        AttendanceImport.objects.filter(session=session)
        .exclude(state=AttendanceImportState.DRAFT)
        .select_related("applied_by")
        .defer("lines", "line_numbers")
        .order_by("-applied_at", "-pk")
    )


def attendance_draft_get(*, user: Any, session: Session, import_id: int) -> AttendanceImport:
    """A draft or confirmed import of the session the user may import for; else 404."""
    if not user.has_perm("events.import_attendance", session):
        raise Http404
    found = AttendanceImport.objects.filter(session=session, pk=import_id).select_related("session").first()
    if found is None:
        raise Http404
    return found
