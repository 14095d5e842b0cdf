"""Online attendance (issue 11 point 6): the meeting platform's participant export, previewed,
then confirmed.

* ``attendance_upload`` reads the file (``attendance_files``) and keeps its lines as a ``draft``
  import: nothing about attendance changes until it is confirmed. A file that cannot be read
  stores nothing.
* ``attendance_draft_map`` sets the column mapping of a draft by hand (platforms other than the
  documented layout); the mapping is remembered for the platform when the import is confirmed.
* ``attendance_analyse`` (a read) gives the preview: per line and field what was read and what
  not, the match to a registration, seconds present per confirmed registration.
* ``attendance_confirm`` applies a draft: the session row is locked, the analysis is recomputed
  and must equal the one previewed, problems must have been acknowledged; the import in force is
  superseded (kept as history), one ``AttendanceRecord`` per confirmed registration is written,
  the rule is stamped on the session's ``AttendanceResult`` the first time, one audit entry.
  Confirming what is already in force changes nothing.
* ``attendance_rule_set`` changes the rule of a series or a session for sessions not yet stamped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_update, snapshot
from huifu.core.permissions import require

from ..attendance_analysis import (
    FIELDS,
    HEADER_LINES,
    Analysis,
    Columns,
    Person,
    analyse,
    normalise_phone,
    resolve_columns,
)
from ..attendance_files import read_upload
from ..models import (
    DEFAULT_ATTENDANCE_PERCENT,
    AttendanceImport,
    AttendanceImportState,
    AttendanceMapping,
    AttendanceRecord,
    AttendanceResult,
    AttendanceRule,
    Registration,
    Series,
    Session,
    SessionState,
)


class AttendanceError(ValidationError):
    """The import cannot be done (see the code)."""


@dataclass(frozen=True)
class Rule:
    min_percent: int
    source: str  # "stamped", "session", "series", "default"


@dataclass(frozen=True)
class Preview:
    draft: AttendanceImport
    columns: Columns
    analysis: Analysis | None  # None while the columns are incomplete
    rule: Rule
    people: dict[int, Person]
    identical: bool  # the import in force has the same outcome: confirming changes nothing


def attendance_rule_for(session: Session) -> Rule:
    """The rule that decides ``session``: its stamped rule once imported, else the session's own
    rule, else its series' rule, else the default (60 %)."""
    result = AttendanceResult.objects.filter(session=session).first()
    if result is not None:
        return Rule(result.min_percent, "stamped")
    rules = {
        ("session" if r.session_id else "series"): r.min_percent
        for r in AttendanceRule.objects.filter(Q(session_id=session.pk) | Q(series_id=session.series_id))
    }
    if "session" in rules:
        return Rule(rules["session"], "session")
    if "series" in rules:
        return Rule(rules["series"], "series")
    return Rule(DEFAULT_ATTENDANCE_PERCENT, "default")


@transaction.atomic
def attendance_rule_set(
    *, actor: Any, min_percent: int, series: Series | None = None, session: Session | None = None
) -> AttendanceRule:
    """Set the rule of a series or of one session. Sessions already stamped keep their rule."""
    require(actor, "events.set_attendance_rule", session or series)
    if (series is None) == (session is None):
        raise ValueError("give a series or a session")
    if not isinstance(min_percent, int) or not 1 <= min_percent <= 100:
        raise ValidationError({"min_percent": _("Give a share between 1 and 100 %.")})
    lookup = {"session": session} if session is not None else {"series": series}
    rule = AttendanceRule.objects.select_for_update().filter(**lookup).first()
    if rule is None:
        rule = AttendanceRule.objects.create(min_percent=min_percent, updated_by=_user(actor), **lookup)
        audit_create(actor=actor, target=rule)
        return rule
    before = snapshot(rule, ["min_percent"])
    rule.min_percent = min_percent
    rule.updated_by = _user(actor)
    rule.save(update_fields=["min_percent", "updated_by", "updated_at"])
    audit_update(actor=actor, target=rule, before=before)
    return rule


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_session(session: Session) -> None:
    if session.state != SessionState.PUBLISHED:
        raise AttendanceError(
            _("Attendance is imported only for published sessions (this one is %(state)s).")
            % {"state": session.get_state_display()},
            code="not_published",
        )
    if not session.is_online:
        raise AttendanceError(_("This session is not held online."), code="not_online")
    if timezone.now() < session.starts_at:
        raise AttendanceError(_("The session has not started yet."), code="not_started")


def attendance_upload(*, actor: Any, session: Session, upload: Any, platform: str = "") -> AttendanceImport:
    """Read ``upload`` into a draft import of ``session`` (the actor's earlier drafts of the session
    are dropped). The columns come from the platform's remembered mapping or the default layout.
    Raises ``AttendanceError``/``ValidationError`` (keyed ``file``) and stores nothing when the
    file cannot be read."""
    require(actor, "events.import_attendance", session)
    _check_session(session)
    read = read_upload(upload)
    platform = " ".join((platform or session.platform or "").split())[:100]
    remembered = AttendanceMapping.objects.filter(platform_key=AttendanceMapping.key_for(platform)).first()
    mapping = {"columns": remembered.columns, "time_format": remembered.time_format} if remembered else {}
    columns = resolve_columns(read.lines, mapping)
    if remembered and not columns.complete:  # the platform changed its layout: try the default one
        fallback = resolve_columns(read.lines, None)
        columns = fallback if fallback.complete else columns
    with transaction.atomic():
        AttendanceImport.objects.filter(session=session, created_by=actor, state=AttendanceImportState.DRAFT).delete()
        return AttendanceImport.objects.create(
            session=session,
            state=AttendanceImportState.DRAFT,
            original_name=read.original_name,
            file_format=read.file_format,
            encoding=read.encoding,
            size=read.size,
            sha256=read.sha256,
            platform=platform,
            lines=read.lines,
            line_numbers=read.line_numbers,
            mapping=columns.as_mapping(),
            lines_read=max(0, len(read.lines) - 1 - (columns.header_index or 0)),
            created_by=actor,
        )


@transaction.atomic
def attendance_draft_map(*, actor: Any, draft: AttendanceImport, mapping: dict[str, Any]) -> AttendanceImport:
    """Set the columns of a draft chosen by hand: ``{"header_index": i, "columns": {field: header
    text}, "time_format": …}``. The mapping is remembered for the platform on confirmation."""
    require(actor, "events.import_attendance", draft.session)
    draft = AttendanceImport.objects.select_for_update().filter(pk=draft.pk).first()
    if draft is None or draft.state != AttendanceImportState.DRAFT:
        raise AttendanceError(_("This preview is no longer open; upload the file again."), code="not_draft")
    _check_mapping(draft, mapping)
    columns = resolve_columns(draft.lines, mapping)
    draft.mapping = columns.as_mapping()
    draft.lines_read = max(0, len(draft.lines) - 1 - (columns.header_index or 0))
    draft.save(update_fields=["mapping", "lines_read"])
    return draft


def _check_mapping(draft: AttendanceImport, mapping: dict[str, Any]) -> None:
    """A mapping chosen by hand names a header line among the first lines of the file and, for
    each field, a column of that line: anything else is refused, naming it (never read as
    "not in the file")."""
    errors: dict[str, list[ValidationError]] = {}
    index = mapping.get("header_index")
    last = min(len(draft.lines), HEADER_LINES) - 1
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= last):
        errors["header_index"] = [
            ValidationError(
                _("Choose the header among the first lines of the file (0 to %(last)d).") % {"last": max(last, 0)},
                code="invalid_mapping",
            )
        ]
    elif (mapping.get("columns") or {}) and index is not None:
        header = {text for text in draft.lines[index] if text}
        for name, text in (mapping.get("columns") or {}).items():
            if name not in FIELDS:
                errors.setdefault("columns", []).append(
                    ValidationError(
                        _("“%(field)s” is not a field.") % {"field": str(name)[:50]}, code="invalid_mapping"
                    )
                )
            elif text and text not in header:
                errors.setdefault("columns", []).append(
                    ValidationError(
                        _("“%(text)s” is not a column of line %(line)d.")
                        % {"text": str(text)[:100], "line": draft.line_numbers[index]},
                        code="invalid_mapping",
                    )
                )
    if errors:
        raise ValidationError(errors)


def _people(session: Session) -> dict[int, Person]:
    registrations = Registration.objects.filter(session=session).select_related("person").order_by("pk")
    return {
        r.pk: Person(
            registration_id=r.pk,
            name=r.person.full_name,
            email=r.person.email.lower(),
            phone=normalise_phone(r.person.phone),
            state=r.state,
            state_label=str(r.get_state_display()),
        )
        for r in registrations
    }


def attendance_analyse(*, draft: AttendanceImport) -> Preview:
    """The preview of a draft (or the analysis of any import) with the registrations as they are now."""
    session = draft.session
    rule = attendance_rule_for(session)
    columns = resolve_columns(draft.lines, draft.mapping)
    people = _people(session)
    analysis = None
    identical = False
    if columns.complete:
        analysis = analyse(
            lines=draft.lines,
            line_numbers=draft.line_numbers,
            columns=columns,
            people=list(people.values()),
            day=session.date,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            min_percent=rule.min_percent,
        )
        identical = AttendanceImport.objects.filter(
            session=session, state=AttendanceImportState.APPLIED, fingerprint=analysis.fingerprint()
        ).exists()
    return Preview(draft=draft, columns=columns, analysis=analysis, rule=rule, people=people, identical=identical)


@dataclass(frozen=True)
class ConfirmResult:
    attendance_import: AttendanceImport
    changed: bool  # False: the same outcome was already in force, nothing was written
    superseded: AttendanceImport | None


@transaction.atomic
def attendance_confirm(
    *, actor: Any, draft: AttendanceImport, fingerprint: str, accept_problems: bool = False
) -> ConfirmResult:
    """Apply a previewed draft (see the module docstring). Refuses a draft whose outcome changed
    since the preview (``stale``), problems not acknowledged (``problems``), columns incomplete
    (``columns``), a file that matches nobody (``no_match``)."""
    require(actor, "events.import_attendance", draft.session)
    session = Session.objects.select_for_update().get(pk=draft.session_id)
    _check_session(session)
    draft = AttendanceImport.objects.select_for_update().filter(pk=draft.pk).first()
    if draft is None or draft.state != AttendanceImportState.DRAFT:
        raise AttendanceError(_("This preview is no longer open; upload the file again."), code="not_draft")
    preview = attendance_analyse(draft=draft)
    analysis = preview.analysis
    if analysis is None:
        raise AttendanceError(" ".join(preview.columns.problems), code="columns")
    if analysis.fingerprint() != fingerprint:
        raise AttendanceError(
            _("The registrations or the rule changed since this preview; check the new preview and confirm again."),
            code="stale",
        )
    current = AttendanceImport.objects.filter(session=session, state=AttendanceImportState.APPLIED).first()
    if preview.identical and current is not None:
        draft.delete()
        return ConfirmResult(attendance_import=current, changed=False, superseded=None)
    if analysis.matched_lines == 0:
        raise AttendanceError(
            _("No line of the file matches a confirmed registration of this session."), code="no_match"
        )
    if analysis.problem_count and not accept_problems:
        raise AttendanceError(
            _("%(count)s lines have problems: confirm that they are left out, or correct the file.")
            % {"count": analysis.problem_lines},
            code="problems",
        )
    now = timezone.now()
    if current is not None:
        current.state = AttendanceImportState.SUPERSEDED
        current.superseded_at = now
        current.save(update_fields=["state", "superseded_at"])
    draft.state = AttendanceImportState.APPLIED
    draft.applied_at = now
    draft.applied_by = _user(actor)
    draft.fingerprint = analysis.fingerprint()
    draft.lines_matched = analysis.matched_lines
    draft.lines_skipped = analysis.problem_lines
    draft.problems = [
        {"line": ln.number, "field": f, "message": message} for ln in analysis.lines for f, message in ln.problems
    ][:1000]
    draft.save()
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            attendance_import=draft,
            registration_id=o.registration_id,
            seconds_present=o.seconds_present,
            seconds_in_schedule=o.seconds_in_schedule,
            attended=o.attended,
            intervals=[list(i) for i in o.intervals],
            lines=o.lines,
        )
        for o in analysis.outcomes.values()
    )
    result = AttendanceResult.objects.filter(session=session).first()
    if result is None:
        result = AttendanceResult.objects.create(
            session=session,
            min_percent=preview.rule.min_percent,
            rule_source=preview.rule.source,
            scheduled_seconds=int((session.ends_at - session.starts_at).total_seconds()),
            stamped_at=now,
            current_import=draft,
        )
    else:
        result.current_import = draft
        result.save(update_fields=["current_import"])
    if draft.platform:
        AttendanceMapping.objects.update_or_create(
            platform_key=AttendanceMapping.key_for(draft.platform),
            defaults={
                "platform": draft.platform,
                "columns": preview.columns.names,
                "time_format": preview.columns.time_format,
                "updated_by": _user(actor),
            },
        )
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        target=draft,
        changes={
            "file": draft.original_name,
            "sha256": draft.sha256,
            "lines_matched": draft.lines_matched,
            "lines_skipped": draft.lines_skipped,
            "attended": sum(1 for o in analysis.outcomes.values() if o.attended),
            "min_percent": result.min_percent,
            "superseded_import": current.pk if current else None,
            "mapping": preview.columns.as_mapping(),
        },
        message=_("Online attendance imported from %(name)s.") % {"name": draft.original_name},
    )
    return ConfirmResult(attendance_import=draft, changed=True, superseded=current)
