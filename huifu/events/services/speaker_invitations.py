"""Speaker invitation writes (讲座邀请).

* ``speaker_invite``: the event managers or the session's co-organiser invite a pool speaker to
  a session, with a reply date on the working-day calendar (a working day, today or later, before
  the session). The speaker gets an e-mail (outbox) with a signed answer link; a speaker with an
  account also finds the invitation under "讲座邀请" (``/events/invitations/``).
* ``speaker_invitation_answer`` (the logged-in speaker) and ``speaker_invitation_answer_by_link``
  (the signed link, no login): accept or decline with a note, once, before the reply date.
  Accepting adds the speaker to the session's speakers. The inviter is mailed the answer.
* ``speaker_invitation_withdraw``: the inviting side takes back a pending invitation.
* ``speaker_invitations_remind`` (``manage.py events_speaker_reminders``): on working days,
  reminds pending invitations the series' ``speaker_reminder_working_days`` working day(s)
  before the reply date (data, set per series on its follow-up page) and on the reply date; expires invitations past their reply date. Each step is claimed
  with a conditional UPDATE, so running it twice (or twice at once) sends nothing twice.

Errors are ``InvitationError`` (a ValidationError) with stable codes: ``deadline_in_past``,
``deadline_not_working_day``, ``deadline_after_session``, ``already_invited``,
``already_speaker``, ``no_email``, ``invalid_choice``, ``session_closed``,
``invitation_expired``, ``already_answered``, ``illegal_transition``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.accounts.predicates import is_staff_user
from huifu.accounts.system import is_system_actor, system_actor
from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.notifications import kinds as notification_kinds
from huifu.notifications import messages as notification_messages
from huifu.notifications.services import notify
from huifu.workdays.engine import CHINA_TZ, china_date
from huifu.workdays.selectors import calendar_snapshot

from ..invitation_links import invitation_token, new_nonce
from ..models import (
    INVITATION_TRANSITIONS,
    InvitationState,
    Session,
    SessionState,
    Speaker,
    SpeakerInvitation,
    SpeakerKind,
)
from .speakers import _text

# Reminders are not sent before this hour (Asia/Shanghai), whenever cron runs the command.
REMINDER_EARLIEST_HOUR = 8
# The reminder sweep looks this far ahead (a holiday can stretch one working day over 10 days).
REMINDER_HORIZON = datetime.timedelta(days=45)

I = InvitationState  # noqa: E741


class InvitationError(ValidationError):
    """The invitation cannot be made or answered (see the code)."""


def _field_error(field: str, message: str, code: str) -> InvitationError:
    """An error next to ``field`` that keeps its stable code."""
    return InvitationError({field: ValidationError(message, code=code)})


# --- invitations ---------------------------------------------------------------------------------


def _reply_by_moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=CHINA_TZ)


def _clean_reply_by(reply_by: Any, session: Session, now: datetime.datetime) -> datetime.datetime:
    if isinstance(reply_by, datetime.datetime) or not isinstance(reply_by, datetime.date):
        raise _field_error("reply_by", _("Enter a valid date."), "invalid")
    today = china_date(now)
    if reply_by < today:
        raise _field_error(
            "reply_by", _("The reply date %(day)s is in the past.") % {"day": reply_by}, "deadline_in_past"
        )
    calendar = calendar_snapshot()
    if not calendar.is_working_day(reply_by):
        nxt = calendar.add_working_days(reply_by, 0).date
        raise _field_error(
            "reply_by",
            _("%(day)s is not a working day; the next working day is %(next)s.") % {"day": reply_by, "next": nxt},
            "deadline_not_working_day",
        )
    if reply_by >= session.date:
        raise _field_error(
            "reply_by",
            _("The speaker must reply before the session day (%(day)s).") % {"day": session.date},
            "deadline_after_session",
        )
    return _reply_by_moment(reply_by)


def _format_deadline(invitation: SpeakerInvitation) -> str:
    return f"{timezone.localtime(invitation.reply_by, CHINA_TZ):%Y-%m-%d}"


def _invitation_mail(
    invitation: SpeakerInvitation,
    *,
    subject: str,
    opening: list[str],
    message: str = notification_messages.SPEAKER_INVITED,
    kind: str = notification_kinds.REGISTRATION,
) -> None:
    """Tell the speaker: in their notification centre (when they have an account) and by e-mail
    (unless they turned it off for ``kind``), in the caller's transaction."""
    speaker = invitation.speaker
    session = invitation.session
    address = speaker.email
    mail = None
    if address:
        link = absolute_url(reverse("events:speaker_invitation_link", args=[invitation_token(invitation)]))
        lines = [
            f"{speaker.name}，您好：",
            "",
            *opening,
            "",
            f"活动：{session.series.title_zh}「{session.title}」",
            f"时间：{session.starts_at:%Y-%m-%d %H:%M}–{session.ends_at:%H:%M}",
        ]
        if session.has_venue:
            lines.append(f"地点：{session.address} {session.room}".rstrip())
        if session.is_online:
            lines.append(f"线上平台：{session.platform}")
        if invitation.message:
            lines += ["", invitation.message]
        lines += ["", f"请于 {_format_deadline(invitation)} 前回复（接受或婉拒，可附说明）：", link]
        if speaker.user_id:
            lines.append(
                f"也可登录会服，在“我的讲座邀请”中回复：{absolute_url(reverse('events:my_speaker_invitations'))}"
            )
        mail = {
            "to": address,
            "subject": f"[会服·投资者教育] {subject}：{session.title}",
            "body_text": "\n".join(lines),
            "organisation": speaker.organisation,
            "topic": "events",
        }
    notify(
        recipient=speaker.user,
        kind=kind,
        message=message,
        params={"title": session.title, "date": f"{session.date:%Y-%m-%d}", "deadline": _format_deadline(invitation)},
        url=reverse("events:my_speaker_invitations") if speaker.user_id else "",
        organisation=speaker.organisation,
        mail=mail,
    )


def _inviter_mail(invitation: SpeakerInvitation, summary: str, message: str) -> None:
    """Tell whoever invited: notification centre and e-mail (preference ``decision``)."""
    inviter = invitation.invited_by
    if not inviter.is_active:
        return
    lines = [f"{inviter.full_name or inviter.email}，您好：", "", summary]
    if invitation.reply_note:
        lines += ["", f"嘉宾说明：{invitation.reply_note}"]
    lines += ["", absolute_url(invitation.session.get_absolute_url())]
    mail = None
    if inviter.email:
        mail = {
            "to": inviter.email,
            "subject": f"[会服·投资者教育] 嘉宾邀请：{invitation.speaker.name} · {invitation.session.title}",
            "body_text": "\n".join(lines),
            "organisation": inviter.organisation,
            "topic": "events",
        }
    notify(
        recipient=inviter,
        kind=notification_kinds.DECISION,
        message=message,
        params={"speaker": invitation.speaker.name, "title": invitation.session.title},
        url=invitation.session.get_absolute_url(),
        organisation=inviter.organisation,
        mail=mail,
    )


@transaction.atomic
def speaker_invite(
    *,
    actor: Any,
    session: Session,
    speaker: Speaker,
    reply_by: datetime.date,
    message: str = "",
    now: datetime.datetime | None = None,
) -> SpeakerInvitation:
    """Invite ``speaker`` to talk at ``session``; the reply is due at the end of ``reply_by``
    (Asia/Shanghai), which must be a working day, today or later, and before the session day.
    The speaker gets an e-mail with the signed answer link."""
    now = now or timezone.now()
    session = Session.objects.select_for_update().select_related("series").get(pk=session.pk)
    require(actor, "events.invite_speaker", session)
    speaker = Speaker.objects.select_related("user", "organisation").get(pk=speaker.pk)
    if (
        not is_system_actor(actor)
        and not is_staff_user(actor)
        and speaker.kind == SpeakerKind.MEMBER_ANALYST
        and speaker.organisation_id != actor.organisation_id
    ):
        # A co-organiser does not see other companies' analysts (selectors_speakers).
        raise _field_error("speaker", _("Choose a speaker from the list."), "invalid_choice")
    if session.state not in SessionState.editable() or now >= session.starts_at:
        raise InvitationError(
            _("Speakers can no longer be invited to this session (cancelled or already started)."),
            code="session_closed",
        )
    errors: dict[str, list[str]] = {}
    message = _text(message, "message", errors, max_length=2000)
    if errors:
        raise InvitationError(errors)
    moment = _clean_reply_by(reply_by, session, now)
    if not speaker.email:
        raise _field_error(
            "speaker",
            _("%(name)s has no e-mail address: add one to the profile first.") % {"name": speaker.name},
            "no_email",
        )
    if session.speakers.filter(pk=speaker.pk).exists():
        raise _field_error(
            "speaker", _("%(name)s is already a speaker of this session.") % {"name": speaker.name}, "already_speaker"
        )
    duplicate = _("%(name)s has already been invited to this session.") % {"name": speaker.name}
    if session.speaker_invitations.filter(speaker=speaker, state__in=I.active()).exists():
        raise _field_error("speaker", duplicate, "already_invited")
    try:
        with transaction.atomic():
            invitation = SpeakerInvitation.objects.create(
                session=session,
                speaker=speaker,
                invited_by=actor,
                message=message,
                reply_by=moment,
                nonce=new_nonce(),
            )
    except IntegrityError:
        raise _field_error("speaker", duplicate, "already_invited") from None
    audit_create(actor=actor, target=invitation)
    _invitation_mail(invitation, subject="讲座邀请", opening=["诚邀您担任以下投资者教育活动的主讲嘉宾。"])
    return invitation


def _lock_invitation(invitation: SpeakerInvitation) -> SpeakerInvitation:
    return (
        SpeakerInvitation.objects.select_for_update(of=("self",))
        .select_related("session__series", "speaker__user", "speaker__organisation", "invited_by")
        .get(pk=invitation.pk)
    )


def _close(invitation: SpeakerInvitation, target: str, actor: Any, now: datetime.datetime, message: str = "") -> None:
    if target not in INVITATION_TRANSITIONS[invitation.state]:
        raise InvitationError(
            _("An invitation that is “%(state)s” cannot become “%(target)s”.")
            % {"state": invitation.get_state_display(), "target": InvitationState(target).label},
            code="illegal_transition",
        )
    source = invitation.state
    invitation.state = target
    invitation.closed_at = now
    if target in I.answered():
        invitation.replied_at = now
    invitation.save(update_fields=["state", "closed_at", "replied_at", "replied_by", "reply_note"])
    audit_transition(actor=actor, target=invitation, source=source, target_state=target, message=message[:500])


def _answer(
    invitation: SpeakerInvitation, *, accept: bool, note: str, actor: Any, replied_by: Any, via: str
) -> SpeakerInvitation:
    """The caller holds the invitation lock."""
    now = timezone.now()
    if invitation.state != I.PENDING:
        if invitation.state in I.answered():
            raise InvitationError(
                _("This invitation was already answered (%(state)s on %(day)s).")
                % {
                    "state": invitation.get_state_display(),
                    "day": f"{timezone.localtime(invitation.replied_at, CHINA_TZ):%Y-%m-%d %H:%M}",
                },
                code="already_answered",
            )
        raise InvitationError(
            _("This invitation is closed (%(state)s).") % {"state": invitation.get_state_display()},
            code="already_answered",
        )
    if now > invitation.reply_by:
        raise InvitationError(
            _("The reply date (%(day)s) has passed; please contact the organisers.")
            % {"day": _format_deadline(invitation)},
            code="invitation_expired",
        )
    if accept and (invitation.session.state == SessionState.CANCELLED or now >= invitation.session.starts_at):
        raise InvitationError(_("The session is cancelled or has already started."), code="session_closed")
    errors: dict[str, list[str]] = {}
    invitation.reply_note = _text(note, "note", errors, max_length=1000)
    if errors:
        raise InvitationError(errors)
    invitation.replied_by = replied_by
    _close(invitation, I.ACCEPTED if accept else I.DECLINED, actor, now, via)
    if accept:
        invitation.session.speakers.add(invitation.speaker)
    verb = "接受" if accept else "婉拒"
    _inviter_mail(
        invitation,
        f"{invitation.speaker.name} 已{verb}「{invitation.session.title}」的讲座邀请。",
        notification_messages.SPEAKER_ACCEPTED if accept else notification_messages.SPEAKER_DECLINED,
    )
    return invitation


@transaction.atomic
def speaker_invitation_answer(
    *, actor: Any, invitation: SpeakerInvitation, accept: bool, note: str = ""
) -> SpeakerInvitation:
    """The invited speaker (logged in) accepts or declines, once, before the reply date."""
    invitation = _lock_invitation(invitation)
    require(actor, "events.answer_speaker_invitation", invitation)
    return _answer(invitation, accept=accept, note=note, actor=actor, replied_by=actor, via="answered in Huifu")


@transaction.atomic
def speaker_invitation_answer_by_link(
    *, invitation: SpeakerInvitation, accept: bool, note: str = ""
) -> SpeakerInvitation:
    """The answer through the signed link of the e-mail (``invitation_links.invitation_from_token``
    has checked the token; the link stands for the speaker). Recorded as the system actor."""
    invitation = _lock_invitation(invitation)
    return _answer(
        invitation,
        accept=accept,
        note=note,
        actor=system_actor(),
        replied_by=None,
        via="answered through the e-mail link",
    )


@transaction.atomic
def speaker_invitation_withdraw(*, actor: Any, invitation: SpeakerInvitation, reason: str = "") -> SpeakerInvitation:
    """Take back a pending invitation (the speaker is told by e-mail; the link stops working)."""
    invitation = _lock_invitation(invitation)
    require(actor, "events.withdraw_speaker_invitation", invitation)
    if invitation.state != I.PENDING:
        raise InvitationError(_("Only an invitation awaiting a reply can be withdrawn."), code="illegal_transition")
    _close(invitation, I.WITHDRAWN, actor, timezone.now(), reason)
    speaker = invitation.speaker
    notify(
        recipient=speaker.user,
        kind=notification_kinds.REGISTRATION,
        message=notification_messages.SPEAKER_WITHDRAWN,
        params={"title": invitation.session.title, "date": f"{invitation.session.date:%Y-%m-%d}"},
        url=reverse("events:my_speaker_invitations") if speaker.user_id else "",
        organisation=speaker.organisation,
        mail={
            "to": speaker.email,
            "subject": f"[会服·投资者教育] 讲座邀请已撤回：{invitation.session.title}",
            "body_text": "\n".join(
                [
                    f"{speaker.name}，您好：",
                    "",
                    f"「{invitation.session.title}」（{invitation.session.starts_at:%Y-%m-%d}）的讲座邀请已由主办方撤回，"
                    "此前邮件中的回复链接已失效。如有疑问请联系主办方。",
                ]
            ),
            "organisation": speaker.organisation,
            "topic": "events",
        }
        if speaker.email
        else None,
    )
    return invitation


# --- reminders and expiry (the periodic command) -------------------------------------------------


def _claim(invitation: SpeakerInvitation, field: str, now: datetime.datetime) -> bool:
    """Mark ``field`` on a still-pending invitation; False if another run did it first."""
    return bool(
        SpeakerInvitation.objects.filter(pk=invitation.pk, state=I.PENDING, **{f"{field}__isnull": True}).update(
            **{field: now}
        )
    )


def speaker_invitations_remind(*, actor: Any, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic job. On a working day, from 08:00 Asia/Shanghai: remind each pending invitation
    its series' ``speaker_reminder_working_days`` working day(s) before its reply date (on the
    working-day calendar, so a reply date after a holiday is reminded on the last working day
    before the holiday) and once more on the reply date. Every day: expire pending invitations
    past their reply date (the inviter is told). One transaction and one audit entry per mail;
    each step is claimed by a conditional UPDATE, so a second run sends nothing twice.
    Returns the counts ``reminded``, ``deadline_reminded``, ``expired``."""
    require(actor, "events.manage_speakers")
    now = now or timezone.now()
    today = china_date(now)
    calendar = calendar_snapshot()
    counts = {"reminded": 0, "deadline_reminded": 0, "expired": 0}
    base = SpeakerInvitation.objects.select_related(
        "session__series", "speaker__user", "speaker__organisation", "invited_by"
    ).filter(state=I.PENDING)
    for invitation in base.filter(reply_by__lt=now).order_by("reply_by", "pk"):
        with transaction.atomic():
            closed = SpeakerInvitation.objects.filter(pk=invitation.pk, state=I.PENDING).update(
                state=I.EXPIRED, closed_at=now
            )
            if not closed:
                continue
            audit_transition(
                actor=actor, target=invitation, source=I.PENDING, target_state=I.EXPIRED, message="no reply in time"
            )
            _inviter_mail(
                invitation,
                f"{invitation.speaker.name} 未在 {_format_deadline(invitation)} 前回复「{invitation.session.title}」的讲座邀请，邀请已过期。",
                notification_messages.SPEAKER_EXPIRED,
            )
            counts["expired"] += 1
    if not calendar.is_working_day(today) or now.astimezone(CHINA_TZ).hour < REMINDER_EARLIEST_HOUR:
        return counts
    for invitation in base.filter(reply_by__gte=now, reply_by__lte=now + REMINDER_HORIZON).order_by("reply_by", "pk"):
        if invitation.session.state == SessionState.CANCELLED:
            continue
        due = china_date(invitation.reply_by)
        invited_on = china_date(invitation.created_at)
        if due == today:
            field, key, subject = "deadline_reminded_at", "deadline_reminded", "今日截止回复"
            opening = [f"讲座邀请今日（{due}）截止回复，请尽快接受或婉拒。"]
        else:
            lead = invitation.session.series.speaker_reminder_working_days
            remind_on = calendar.add_working_days(due, -lead).date if lead else due
            if not (remind_on <= today < due) or invitation.reminded_at is not None:
                continue
            field, key, subject = "reminded_at", "reminded", "邀请回复提醒"
            opening = [f"提醒：以下讲座邀请将于 {due} 截止回复。"]
        if invited_on >= today or getattr(invitation, field) is not None:
            continue  # invited today: the invitation itself is the reminder
        with transaction.atomic():
            if not _claim(invitation, field, now):
                continue
            _invitation_mail(
                invitation,
                subject=subject,
                opening=opening,
                message=notification_messages.SPEAKER_REPLY_REMINDER,
                kind=notification_kinds.REMINDER,
            )
            audit_record(
                actor=actor, action=AuditAction.UPDATE, target=invitation, changes={field: [None, now]}, message=key
            )
            counts[key] += 1
    return counts
