"""Reminders before a session and survey invitations after it (issue #11 points 9–10), sent by
the periodic ``manage.py events_reminders``.

* **Participants**: every confirmed registrant of a published session gets one e-mail with the
  session's facts from the series' ``reminder_working_days``-th working day before the session
  (working-day calendar: for a session on the first working day after the National Day holiday,
  "2 working days before" is before the holiday, not during it) until the session starts.
  The reminder is also shown in the app ("My registrations").
* **Staff**: for a published session with open tasks (no room for an on-site session, no link
  for an online one, materials not reviewed), the event managers and the session's co-organiser
  users get one e-mail listing them from the series' ``staff_reminder_working_days``-th working
  day before the session.
* **Survey**: after the session, every attendee gets one invitation with the signed survey link
  while the survey is open.

Idempotent: each sent reminder is a ``SessionReminder`` row, unique per kind, session, recipient
and session date, written in the same transaction as the outbox mail, so running the command
twice (or twice at once) sends nothing twice; a session moved to another day is reminded again.
A run missed on one day is caught up by the next (a reminder is due from its day on, not only on
it). Each sent reminder is one audit entry.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huifu.accounts.models import User, UserKind
from huifu.audit.services import audit_create, audit_update, snapshot
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.directory.models import DepartmentKind
from huifu.notifications import kinds as notification_kinds
from huifu.notifications import messages as notification_messages
from huifu.notifications.services import notify
from huifu.workdays.services import add_working_days

from .. import models as event_models
from ..models import Registration, RegistrationState, ReminderKind, Series, Session, SessionReminder, SessionState
from .surveys import attended_q, survey_closes_at, survey_token

# How far ahead a run looks for sessions: more than any reminder period in calendar days.
LOOKAHEAD_DAYS = 60
# How far back a run looks for sessions whose survey may still be open.
LOOKBACK_DAYS = 60

# The e-mails are written in Chinese like the other event mails; the pages use TASK_LABELS.
TASK_MAIL_LABELS = {
    "room": "线下会场尚未设置房间",
    "link": "线上会议链接尚未设置",
    "materials": "活动资料尚未完成合规审核",
}
TASK_LABELS = {
    "room": _("no room set for the on-site session"),
    "link": _("no online meeting link set"),
    "materials": _("materials not reviewed"),
}


def reminder_day(session: Session, working_days: int) -> datetime.date:
    """The day from which a reminder ``working_days`` working days before ``session`` is due."""
    if working_days <= 0:
        return session.date
    return add_working_days(session.date, -working_days).date


def _unreviewed_materials(session_ids: list[int]) -> set[int]:
    """Sessions with materials awaiting compliance review (draft, submitted or returned)."""
    material = getattr(event_models, "Material", None)  # the materials topic of issue #11
    if material is None or not session_ids:
        return set()
    reviewed = {"approved", "withdrawn"}
    return set(
        material.objects.filter(session_id__in=session_ids)
        .exclude(state__in=reviewed)
        .values_list("session_id", flat=True)
        .distinct()
    )


def open_tasks(session: Session, *, unreviewed: set[int]) -> list[str]:
    """The open tasks of a session, as keys of ``TASK_LABELS``."""
    tasks = []
    if session.has_venue and not session.room.strip():
        tasks.append("room")
    if session.is_online and not session.link.strip():
        tasks.append("link")
    if session.pk in unreviewed:
        tasks.append("materials")
    return tasks


def staff_recipients(session: Session) -> list[User]:
    """Event managers (coordinators and the Market Service Center) and the users of the
    session's co-organisers."""
    managers = Q(
        kind=UserKind.STAFF,
        department__kind__in=[DepartmentKind.COORDINATOR, DepartmentKind.MARKET_SERVICE_CENTER],
    )
    co_organisers = Q(organisation__in=[o.pk for o in session.co_organisers.all()]) & ~Q(kind=UserKind.REGULATOR)
    return list(User.objects.filter(managers | co_organisers, is_active=True).exclude(email="").order_by("pk"))


def _record(
    *, actor: Any, kind: str, session: Session, recipient: User, registration: Registration | None, tasks: list[str]
) -> SessionReminder | None:
    """Write the reminder row; None when it was already sent (by this or a concurrent run)."""
    if SessionReminder.objects.filter(
        kind=kind, session=session, recipient=recipient, session_date=session.date
    ).exists():
        return None
    try:
        with transaction.atomic():
            reminder = SessionReminder.objects.create(
                kind=kind,
                session=session,
                registration=registration,
                recipient=recipient,
                session_date=session.date,
                tasks=tasks,
                sent_at=timezone.now(),
            )
    except IntegrityError:
        return None
    audit_create(actor=actor, target=reminder)
    return reminder


def _facts(session: Session) -> list[str]:
    lines = [
        f"活动：{session.series.title_zh}「{session.title}」",
        f"时间：{session.starts_at:%Y-%m-%d %H:%M}–{session.ends_at:%H:%M}",
    ]
    if session.has_venue:
        lines.append(f"地点：{session.address} {session.room}".rstrip())
    if session.is_online:
        lines.append(f"线上平台：{session.platform}")
    return lines


def _participant_mail(registration: Registration) -> None:
    session, person = registration.session, registration.person
    lines = [f"{person.full_name or person.email}，您好：", "", "您报名的活动即将举行："]
    lines += _facts(session)
    if session.is_online and session.link:
        lines.append(f"参会链接：{session.link}")
    lines += [
        "",
        f"入场二维码见会服“我的报名”：{absolute_url(reverse('events:my_registrations'))}",
        "如不能参加，请登录会服取消报名。",
    ]
    notify(
        recipient=person,
        kind=notification_kinds.REMINDER,
        message=notification_messages.EVENT_REMINDER,
        params={"title": session.title, "date": f"{session.date:%Y-%m-%d}"},
        url=reverse("events:my_registrations"),
        organisation=registration.organisation,
        mail={
            "to": person.email,
            "subject": f"[会服·投资者教育] 活动提醒：{session.date:%m月%d日} {session.title}",
            "body_text": "\n".join(lines),
            "organisation": registration.organisation,
            "topic": "events",
        },
    )


def _staff_mail(session: Session, recipient: User, tasks: list[str]) -> None:
    lines = [f"{recipient.full_name or recipient.email}，您好：", "", "以下活动尚有未完成的准备事项："]
    lines += _facts(session)
    lines.append("")
    lines += [f"· {TASK_MAIL_LABELS[t]}" for t in tasks]
    lines += ["", f"请在会服处理：{absolute_url(session.get_absolute_url())}"]
    notify(
        recipient=recipient,
        kind=notification_kinds.REMINDER,
        message=notification_messages.EVENT_PREPARATION,
        params={"title": session.title, "date": f"{session.date:%Y-%m-%d}"},
        url=session.get_absolute_url(),
        organisation=recipient.organisation,
        mail={
            "to": recipient.email,
            "subject": f"[会服·投资者教育] 待办提醒：{session.date:%m月%d日} {session.title}",
            "body_text": "\n".join(lines),
            "organisation": recipient.organisation,
            "topic": "events",
        },
    )


def _survey_mail(registration: Registration) -> None:
    session, person = registration.session, registration.person
    link = absolute_url(reverse("events:survey_answer", args=[survey_token(registration)]))
    closes = timezone.localtime(survey_closes_at(session))
    lines = [
        f"{person.full_name or person.email}，您好：",
        "",
        f"感谢您参加{session.series.title_zh}「{session.title}」（{session.date:%Y-%m-%d}）。",
        "请花一分钟为本次活动评分，帮助我们改进：",
        link,
        f"问卷开放至 {closes:%Y-%m-%d}。",
    ]
    notify(
        recipient=person,
        kind=notification_kinds.REGISTRATION,
        message=notification_messages.SURVEY_INVITATION,
        params={"title": session.title, "date": f"{session.date:%Y-%m-%d}", "closes": f"{closes:%Y-%m-%d}"},
        url=reverse("events:my_surveys"),
        organisation=registration.organisation,
        mail={
            "to": person.email,
            "subject": f"[会服·投资者教育] 满意度调查：{session.title}",
            "body_text": "\n".join(lines),
            "organisation": registration.organisation,
            "topic": "events",
        }
        if person.email
        else None,
    )


def reminders_send(*, actor: Any, now: datetime.datetime | None = None) -> Counter[str]:
    """Send every reminder and survey invitation due at ``now`` that was not sent before.
    Returns how many of each kind were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent: Counter[str] = Counter()
    upcoming = list(
        Session.objects.filter(
            state=SessionState.PUBLISHED, date__gte=today, date__lte=today + datetime.timedelta(days=LOOKAHEAD_DAYS)
        )
        .select_related("series")
        .prefetch_related("co_organisers")
        .order_by("date", "pk")
    )
    upcoming = [s for s in upcoming if s.starts_at > now]
    unreviewed = _unreviewed_materials([s.pk for s in upcoming])
    for session in upcoming:
        if today >= reminder_day(session, session.series.reminder_working_days):
            registrations = session.registrations.filter(state=RegistrationState.CONFIRMED).exclude(person__email="")
            for registration in registrations.select_related("person", "organisation", "session__series"):
                with transaction.atomic():
                    if _record(
                        actor=actor,
                        kind=ReminderKind.PARTICIPANT,
                        session=session,
                        recipient=registration.person,
                        registration=registration,
                        tasks=[],
                    ):
                        _participant_mail(registration)
                        sent[ReminderKind.PARTICIPANT] += 1
        tasks = open_tasks(session, unreviewed=unreviewed)
        if tasks and today >= reminder_day(session, session.series.staff_reminder_working_days):
            for recipient in staff_recipients(session):
                with transaction.atomic():
                    if _record(
                        actor=actor,
                        kind=ReminderKind.STAFF,
                        session=session,
                        recipient=recipient,
                        registration=None,
                        tasks=tasks,
                    ):
                        _staff_mail(session, recipient, tasks)
                        sent[ReminderKind.STAFF] += 1
    past = (
        Session.objects.filter(
            state=SessionState.PUBLISHED, date__lte=today, date__gte=today - datetime.timedelta(days=LOOKBACK_DAYS)
        )
        .select_related("series")
        .order_by("date", "pk")
    )
    for session in past:
        if not (session.ends_at <= now <= survey_closes_at(session)):
            continue
        attendees = (
            Registration.objects.filter(attended_q(), session=session)
            .exclude(person__email="")
            .select_related("person", "organisation", "session__series")
        )
        for registration in attendees:
            with transaction.atomic():
                if _record(
                    actor=actor,
                    kind=ReminderKind.SURVEY,
                    session=session,
                    recipient=registration.person,
                    registration=registration,
                    tasks=[],
                ):
                    _survey_mail(registration)
                    sent[ReminderKind.SURVEY] += 1
    return sent


def reminders_for(*, user: Any, today: datetime.date | None = None) -> list[SessionReminder]:
    """In-app: the user's reminders of sessions still ahead (participant and open tasks)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    return list(
        SessionReminder.objects.filter(
            recipient=user,
            kind__in=[ReminderKind.PARTICIPANT, ReminderKind.STAFF],
            session__date__gte=today,
            session__state=SessionState.PUBLISHED,
        )
        .filter(session_date=F("session__date"))
        .select_related("session__series")
        .order_by("session__date", "pk")[:10]
    )


FOLLOWUP_LIMITS = {
    "reminder_working_days": (0, 20),
    "staff_reminder_working_days": (0, 20),
    "survey_working_days": (1, 30),
    "speaker_reminder_working_days": (0, 20),
}


@transaction.atomic
def series_followup_update(
    *,
    actor: Any,
    series: Series,
    reminder_working_days: int,
    staff_reminder_working_days: int,
    survey_working_days: int,
    speaker_reminder_working_days: int | None = None,
) -> Series:
    """Set a series' reminder and survey periods (working days). Out-of-range values are refused
    per field (``invalid``) and nothing is saved. ``speaker_reminder_working_days`` left out
    (``None``) keeps the series' current value."""
    require(actor, "events.manage_followup", series)
    series = Series.objects.select_for_update().get(pk=series.pk)
    values = {
        "reminder_working_days": reminder_working_days,
        "staff_reminder_working_days": staff_reminder_working_days,
        "survey_working_days": survey_working_days,
        "speaker_reminder_working_days": (
            series.speaker_reminder_working_days
            if speaker_reminder_working_days is None
            else speaker_reminder_working_days
        ),
    }
    errors = {}
    for name, value in values.items():
        low, high = FOLLOWUP_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = gettext("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    if errors:
        raise ValidationError(errors, code="invalid")
    before = snapshot(series, values.keys())
    for name, value in values.items():
        setattr(series, name, value)
    series.save(update_fields=list(values))
    audit_update(actor=actor, target=series, before=before)
    return series
