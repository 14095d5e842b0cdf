"""Who may receive a certificate, read from the events app's attendance record.

A session counts as attended when the person's confirmed registration was checked in at the
desk (on site) or, online, when the attendance import in force says ``attended`` by the rule it
stamped (``events.selectors_attendance``, the one place that answers "attended online").
A training programme is completed when every required session was attended
(``CompletionRequirement``, else every published session of the series).

The answer carries a snapshot (``Eligibility.snapshot``) that the certificate stores: which
sessions, how each was attended (check-in time and desk, or minutes present against the rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.events.models import Registration, RegistrationState, Series, Session, SessionState
from huifu.events.selectors_attendance import records_in_force

from .models import CompletionRequirement


@dataclass
class Eligibility:
    eligible: bool
    reason: str = ""
    snapshot: dict[str, Any] = field(default_factory=dict)
    completion_date: Any = None


def registrations_with_attendance(sessions: Any) -> QuerySet[Registration]:
    """Confirmed registrations of ``sessions`` (a queryset or list of sessions) with the check-in
    and the online record in force loaded (``online``: zero or one item). Constant queries."""
    return (
        Registration.objects.filter(session__in=sessions, state=RegistrationState.CONFIRMED)
        .select_related("person", "organisation", "check_in", "session__series")
        .prefetch_related(
            Prefetch(
                "attendance_records",
                queryset=records_in_force().select_related("attendance_import"),
                to_attr="online",
            )
        )
        .order_by("person__full_name", "pk")
    )


def _check_in(registration: Registration) -> Any:
    try:
        return registration.check_in
    except Registration.check_in.RelatedObjectDoesNotExist:
        return None


def session_entry(session: Session, registration: Registration | None) -> tuple[bool, str, dict[str, Any]]:
    """(attended, why not, what the certificate stores) for one session."""
    entry: dict[str, Any] = {
        "session": session.pk,
        "title": session.title,
        "date": f"{session.date:%Y-%m-%d}",
        "mode": session.mode,
    }
    if session.state == SessionState.CANCELLED:
        return False, _("The session %(title)s was cancelled.") % {"title": session.title}, entry
    if registration is None:
        return False, _("No confirmed registration for %(title)s.") % {"title": session.title}, entry
    entry["registration"] = registration.pk
    check_in = _check_in(registration)
    if check_in is not None:
        entry.update(
            how="check_in",
            checked_in_at=timezone.localtime(check_in.checked_in_at).isoformat(timespec="minutes"),
            desk=check_in.desk,
        )
        return True, "", entry
    records = getattr(registration, "online", None)
    if records is None:
        records = list(records_in_force().filter(registration=registration))
    record = records[0] if records else None
    if record is not None:
        entry.update(
            how="online",
            minutes_in_schedule=record.minutes_in_schedule,
            minutes_present=record.minutes_present,
            attendance_import=record.attendance_import_id,
        )
        result = _result(session)
        if result is not None:
            entry.update(min_percent=result.min_percent, scheduled_minutes=result.scheduled_seconds // 60)
        if record.attended:
            return True, "", entry
        return (
            False,
            _("Online for %(minutes)s minutes of %(title)s: less than the attendance rule requires.")
            % {"minutes": record.minutes_in_schedule, "title": session.title},
            entry,
        )
    return False, _("No check-in and no online attendance recorded for %(title)s.") % {"title": session.title}, entry


def _result(session: Session) -> Any:
    """The session's stamped online rule, read once per session object."""
    if not hasattr(session, "_certificates_result"):
        from huifu.events.selectors_attendance import attendance_result

        session._certificates_result = attendance_result(session)
    return session._certificates_result


def session_eligibility(*, person: Any, session: Session) -> Eligibility:
    registration = registrations_with_attendance([session]).filter(person=person).first()
    attended, reason, entry = session_entry(session, registration)
    snapshot = {"rule": "attended_session", "sessions": [entry], "evaluated_at": timezone.now().isoformat()}
    if not attended:
        return Eligibility(False, _("%(name)s did not attend: %(reason)s") % {"name": _name(person), "reason": reason})
    return Eligibility(True, snapshot=snapshot)


def required_sessions(series: Series) -> list[Session]:
    requirement = CompletionRequirement.objects.filter(series=series).first()
    if requirement is not None:
        chosen = list(requirement.sessions.all().order_by("date", "slot", "pk"))
        if chosen:
            return chosen
    return list(series.sessions.filter(state=SessionState.PUBLISHED).order_by("date", "slot", "pk"))


def series_eligibility(*, person: Any, series: Series, sessions: list[Session] | None = None) -> Eligibility:
    sessions = required_sessions(series) if sessions is None else sessions
    if not sessions:
        return Eligibility(False, _("The programme %(title)s has no sessions to complete.") % {"title": series})
    registrations = {r.session_id: r for r in registrations_with_attendance(sessions).filter(person=person)}
    entries, missing = [], []
    for session in sessions:
        attended, reason, entry = session_entry(session, registrations.get(session.pk))
        entries.append(entry)
        if not attended:
            missing.append(reason)
    if missing:
        return Eligibility(
            False,
            _("%(name)s has not completed the programme: %(reasons)s")
            % {"name": _name(person), "reasons": " ".join(missing)},
        )
    snapshot = {
        "rule": "all_required_sessions",
        "required": [s.pk for s in sessions],
        "sessions": entries,
        "evaluated_at": timezone.now().isoformat(),
    }
    return Eligibility(True, snapshot=snapshot, completion_date=max(s.date for s in sessions))


def _name(person: Any) -> str:
    return person.full_name or person.email
