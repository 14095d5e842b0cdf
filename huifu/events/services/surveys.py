"""The satisfaction survey after a session (issue #11 point 9).

* The questions are data: ``QUESTIONS`` (four ratings 1–5) and a free comment; the form, the page,
  the statistics and the export are built from them.
* Only attendees answer: a registration that was checked in on site, or attended online
  (``online_attended_q`` is the one place that reads online attendance).
* One answer per registration (database constraint); a second submission is refused with
  ``already_answered`` and changes nothing.
* The survey opens when the session starts (an attendee checked in at the desk may rate it on
  the spot; the invitation e-mail goes out when it ends) and closes at the end of the series'
  ``survey_working_days``-th working day after it (working-day calendar).
* Attendees reach it by the signed link of the invitation e-mail (``survey_token``; no login
  needed, the signature proves the registration) or, logged in, from "My registrations". Both
  land on ``events:survey_answer`` with the token.

Error codes: ``not_attended``, ``survey_not_open``, ``survey_closed``, ``already_answered``,
``invalid_rating``, ``invalid_token``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from huifu.audit.services import audit_create
from huifu.core.permissions import require
from huifu.workdays.services import deadline_at

from ..models import Registration, RegistrationState, Session, SurveyResponse
from ..selectors_attendance import attended_online_q

SALT = "huifu.events.survey"
COMMENT_MAX_LENGTH = 2000
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Question:
    key: str  # the SurveyResponse column
    label: Promise  # the question as asked
    short: Promise  # its column heading in tables and exports


QUESTIONS: tuple[Question, ...] = (
    Question(
        "overall", gettext_lazy("Overall, how satisfied are you with this session?"), pgettext_lazy("survey", "overall")
    ),
    Question("content", gettext_lazy("How useful was the content?"), pgettext_lazy("survey", "content")),
    Question("speaker", gettext_lazy("How do you rate the speakers?"), pgettext_lazy("survey", "speakers")),
    Question(
        "organisation",
        gettext_lazy("How well was the session organised?"),
        pgettext_lazy("survey", "organisation"),
    ),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)


class SurveyError(ValidationError):
    """The survey cannot be answered (see the code)."""


class SurveyTokenInvalid(Exception):
    """The survey link is not one we signed."""


# --- attendance ---------------------------------------------------------------------------------


def online_attended_q(prefix: str = "") -> Q:
    """Registrations whose person attended online, as a filter on ``Registration`` (``prefix``
    is the path to a registration, e.g. ``"registration__"``).

    THE ONE PLACE the follow-up reads online attendance: the online-attendance import's answer
    (``selectors_attendance.attended_online_q``: the session's import in force, by its stamped
    rule)."""
    return attended_online_q(prefix)


def on_site_attended_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}check_in__isnull": False})


def attended_q(prefix: str = "") -> Q:
    """A confirmed registration whose person came, on site or online."""
    return Q(**{f"{prefix}state": RegistrationState.CONFIRMED}) & (
        on_site_attended_q(prefix) | online_attended_q(prefix)
    )


def has_attended(registration: Registration) -> bool:
    return Registration.objects.filter(attended_q(), pk=registration.pk).exists()


# --- tokens and window --------------------------------------------------------------------------


def survey_token(registration: Registration) -> str:
    return signing.Signer(salt=SALT).sign(f"S{registration.pk}")


def survey_registration_id(token: str) -> int:
    try:
        value = signing.Signer(salt=SALT).unsign((token or "").strip())
    except signing.BadSignature as exc:
        raise SurveyTokenInvalid from exc
    if not value.startswith("S") or not value[1:].isdigit():
        raise SurveyTokenInvalid
    return int(value[1:])


def survey_closes_at(session: Session) -> datetime.datetime:
    """The end of the series' ``survey_working_days``-th working day after the session."""
    return deadline_at(session.ends_at, session.series.survey_working_days).at


def survey_is_open(session: Session, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return session.starts_at <= now <= survey_closes_at(session)


# --- the answer ---------------------------------------------------------------------------------


def _rating(value: Any, key: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if number not in RATINGS:
        raise SurveyError({key: _("Choose a rating from 1 to 5.")}, code="invalid_rating")
    return number


@transaction.atomic
def survey_answer_submit(
    *, actor: Any, registration: Registration, ratings: dict[str, Any], comment: str = ""
) -> SurveyResponse:
    """Record the attendee's one answer. ``ratings`` maps every ``QUESTION_KEYS`` key to 1–5.
    The actor is the attendee (logged in, or proven by the signed link)."""
    registration = Registration.objects.select_for_update().select_related("session__series").get(pk=registration.pk)
    require(actor, "events.answer_survey", registration)
    errors: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    for key in QUESTION_KEYS:
        try:
            values[key] = _rating(ratings.get(key), key)
        except SurveyError as exc:
            errors.update(exc.message_dict)
    comment = str(comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [_("At most %(n)s characters.") % {"n": COMMENT_MAX_LENGTH}]
    if errors:
        raise SurveyError(errors, code="invalid_rating")
    survey_check_open(registration=registration)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                registration=registration, comment=comment, submitted_at=timezone.now(), **values
            )
    except IntegrityError:
        raise SurveyError(_("You have already answered this survey."), code="already_answered") from None
    audit_create(actor=actor, target=response)
    return response


def survey_check_open(*, registration: Registration, now: datetime.datetime | None = None) -> None:
    """Raise ``SurveyError`` when this registration may not answer now."""
    session = registration.session
    if not has_attended(registration):
        raise SurveyError(_("Only participants who attended the session can answer the survey."), code="not_attended")
    now = now or timezone.now()
    if now < session.starts_at:
        raise SurveyError(_("The survey opens when the session starts."), code="survey_not_open")
    if now > survey_closes_at(session):
        raise SurveyError(_("The survey for this session has closed."), code="survey_closed")
    if SurveyResponse.objects.filter(registration=registration).exists():
        raise SurveyError(_("You have already answered this survey."), code="already_answered")


def surveys_pending(*, user: Any, now: datetime.datetime | None = None) -> list[Registration]:
    """The user's own attended registrations whose survey is open and not answered yet."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    candidates = (
        Registration.objects.filter(attended_q(), person=user, survey_response__isnull=True)
        .filter(
            session__date__lte=timezone.localdate(now),
            session__date__gte=timezone.localdate(now) - datetime.timedelta(days=60),
        )
        .select_related("session__series")
        .order_by("-session__date", "pk")
    )
    return [r for r in candidates if survey_is_open(r.session, now)]
