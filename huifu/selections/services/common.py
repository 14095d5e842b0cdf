"""What every selection service shares: the phase windows and the domain errors."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Phase, PhaseKind, Selection


class SelectionError(ValidationError):
    """A refused operation; ``code`` is the stable error code the API returns (also on each
    message of a per-field error)."""

    def __init__(self, message: Any, code: str | None = None, params: Any = None) -> None:
        if isinstance(message, dict) and code:
            message = {
                field: [
                    m if isinstance(m, ValidationError) else ValidationError(m, code=code)
                    for m in (v if isinstance(v, list) else [v])
                ]
                for field, v in message.items()
            }
        super().__init__(message, code, params)
        if code:
            self.code = code


def local(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i")


def phase_of(selection: Selection, kind: str) -> Phase | None:
    # Phases are few per selection and often prefetched.
    for phase in selection.phases.all():
        if phase.kind == kind:
            return phase
    return None


def phase_state(selection: Selection, kind: str, *, at: datetime.datetime | None = None) -> str:
    """``"missing"``, ``"before"``, ``"open"`` or ``"after"``."""
    phase = phase_of(selection, kind)
    if phase is None:
        return "missing"
    now = at or timezone.now()
    if now < phase.opens_at:
        return "before"
    if now >= phase.closes_at:
        return "after"
    return "open"


def require_phase(selection: Selection, kind: str, *, field: str | None = None) -> Phase:
    """Refuse unless ``kind``'s window is open now, with a message naming the window."""
    phase = phase_of(selection, kind)
    label = PhaseKind(kind).label
    if phase is None:
        error = SelectionError(
            _("The %(phase)s phase of this selection has no dates yet.") % {"phase": label}, code="phase_missing"
        )
    else:
        state = phase_state(selection, kind)
        if state == "open":
            return phase
        params = {"phase": label, "opens": local(phase.opens_at), "closes": local(phase.closes_at)}
        if state == "before":
            message = _("The %(phase)s phase opens at %(opens)s (window %(opens)s – %(closes)s).") % params
            code = "phase_not_open"
        else:
            message = (
                _("The %(phase)s phase closed at %(closes)s (window %(opens)s – %(closes)s); it is too late.") % params
            )
            code = "phase_closed"
        error = SelectionError(message, code=code)
    if field:
        raise SelectionError({field: [error]})
    raise error


def application_deadline(selection: Selection) -> datetime.date:
    """The reference day of conflicts and the roster: the application window's end (today
    before any window exists)."""
    phase = phase_of(selection, PhaseKind.APPLICATION)
    return timezone.localdate(phase.closes_at) if phase else timezone.localdate()


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def as_list(value: Any) -> list[Any]:
    return list(value or [])
