"""The desk page's JSON endpoint: one scan per request, sent by ``static/events/desk.js`` when the
clerk scans (USB scanner typing into the field, or the phone camera), or later from the desk's
offline queue. CSRF-protected like every POST (the page sends its token in ``X-CSRFToken``);
staff and the session's co-organisers only (``events.check_in``).

Answers (JSON): 200 ``{"outcome": "checked_in" | "already", "replayed", "message", ...}``;
400 ``{"code", "message"}`` for a scan refused for good (the desk drops it from its queue and
shows why); 401, 403 and 404 with a ``code`` (the desk keeps its queue: sign in again)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors
from .models import ScanOutcome
from .services.desk import DeskScanResult, desk_scan_record


def _error(status: int, code: str, message: str, scan_id: str = "") -> JsonResponse:
    return JsonResponse({"scan_id": scan_id, "code": code, "message": message}, status=status)


def _datetime(value: Any) -> Any:
    try:
        return parse_datetime(str(value)) if value else None
    except ValueError:
        return None


def _answer(result: DeskScanResult, counts: dict[str, int]) -> dict[str, Any]:
    scan = result.scan
    person = scan.registration.person
    name = str(person.full_name or person.email)
    time = timezone.localtime(scan.answer_checked_in_at)
    if scan.outcome == ScanOutcome.CHECKED_IN:
        message = _("%(name)s: checked in.") % {"name": name}
    else:
        message = _("%(name)s: already checked in at %(time)s by %(desk)s.") % {
            "name": name,
            "time": f"{time:%H:%M}",
            "desk": scan.answer_desk,
        }
    return {
        "scan_id": str(scan.client_scan_id),
        "outcome": scan.outcome,
        "replayed": result.replayed,
        "message": message,
        "name": name,
        "checked_in_at": time.isoformat(),
        "desk": scan.answer_desk,
        "counts": counts,
    }


@require_POST
def desk_scan(request: HttpRequest, pk: int) -> JsonResponse:
    if not request.user.is_authenticated:
        return _error(401, "login_required", _("Your sign-in has ended; sign in again to send the scans."))
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict):
        return _error(400, "invalid_request", _("The scan could not be read."))
    scan_id = str(payload.get("scan_id") or "")[:64]
    try:
        session = selectors.session_get(user=request.user, session_id=pk)
        if not request.user.has_perm("events.check_in", session):
            raise PermissionDenied
    except Http404:
        return _error(404, "not_found", _("This session does not exist or is not yours."), scan_id)
    except PermissionDenied:
        return _error(403, "permission_denied", _("You may not check people in at this session."), scan_id)
    scanned_at = _datetime(payload.get("scanned_at"))
    if scanned_at is None:
        return _error(400, "invalid_time", _("The scan time could not be read."), scan_id)
    registration = payload.get("registration")
    try:
        result = desk_scan_record(
            actor=request.user,
            session=session,
            client_scan_id=scan_id,
            desk=str(payload.get("desk") or ""),
            scanned_at=scanned_at,
            sent_at=_datetime(payload.get("sent_at")),
            token=str(payload.get("token") or "").strip()[:200],
            registration_id=int(registration) if str(registration or "").isdigit() else None,
        )
    except ValidationError as exc:
        return _error(400, getattr(exc, "code", None) or "invalid", " ".join(exc.messages), scan_id)
    return JsonResponse(_answer(result, selectors.desk_counts(session=session)))


def desk_texts() -> dict[str, str]:
    """The desk page script's words, translated here (the page embeds them as JSON)."""
    return {
        "waiting": _("%(count)s scans waiting to be sent"),
        "offline": _("No connection: scans are kept in this browser and sent when it returns."),
        "signin": _("Scans not sent: sign in again in another tab; they stay queued here."),
        "server": _("The server did not answer; the scans stay queued and are sent again shortly."),
        "counts": _("Checked in: %(done)s of %(total)s"),
        "camera_unavailable": _("The camera cannot be used here (it needs HTTPS and your permission)."),
    }
