"""E-mails to the member company about its form (through the outbox, inside the transaction)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.accounts.models import User, UserKind
from huifu.core.http import absolute_url
from huifu.notifications import kinds
from huifu.notifications.services import notify
from huifu.tracking.services import tracked_for

from .common import FORM_KIND, MAIL_PREFIX


def _company_addresses(form: Any) -> list[tuple[str, Any]]:
    """The form's contact e-mail and the company's active member users, without duplicates."""
    seen: dict[str, Any] = {}
    if form.email:
        seen[form.email.lower()] = None
    for user in User.objects.filter(organisation_id=form.organisation_id, kind=UserKind.MEMBER, is_active=True):
        if user.email:
            seen.setdefault(user.email.lower(), user)
            if seen[user.email.lower()] is None:
                seen[user.email.lower()] = user
    return list(seen.items())


def _send(form: Any, message: str, body: str, topic: str, attachments: tuple = ()) -> None:
    """Each member user of the company: a notification (``message``, a msgid with the form's
    serial, read in the reader's language) and the mail unless they turned e-mail off; the
    form's contact address without an account: the mail."""
    params = {"serial": f"{form.year}-{form.serial_display}"}
    subject = _(message) % params
    for address, user in _company_addresses(form):
        notify(
            recipient=user,
            kind=kinds.REPLY,
            message=message,
            params=params,
            url=form.get_absolute_url(),
            organisation=form.organisation,
            mail={
                "to": address,
                "subject": f"{MAIL_PREFIX}{subject}",
                "body_text": body,
                "organisation": form.organisation,
                "topic": topic,
                "attachments": attachments,
            },
        )


def _ctx(form: Any) -> dict[str, str]:
    tracked = tracked_for(form, FORM_KIND)
    return {
        "serial": f"{form.year}-{form.serial_display}",
        "company": form.organisation.name_zh,
        "url": absolute_url(form.get_absolute_url()),
        "due": tracked.due_at.astimezone(tracked.due_at.tzinfo).strftime("%Y-%m-%d") if tracked else "-",
    }


def notify_received(form: Any) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        d = _ctx(form)
        _send(
            form,
            gettext_noop("Feedback No. %(serial)s received"),
            _(
                "Your Member Voice feedback No. %(serial)s has been received. The exchange will reply by %(due)s.\n"
                "Follow it here: %(url)s\n"
            )
            % d,
            "feedback_received",
        )


def notify_clarification(form: Any) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        d = _ctx(form) | {"question": form.pause_reason}
        _send(
            form,
            gettext_noop("Question about feedback No. %(serial)s"),
            _(
                "The exchange needs a clarification about your feedback No. %(serial)s:\n%(question)s\n"
                "Answer here: %(url)s\n"
            )
            % d,
            "feedback_clarification",
        )


def notify_reply(form: Any, reply: Any, attachment: Any) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        d = _ctx(form)
        if reply.mode == "meeting":
            d["when"] = reply.meeting_at.astimezone(reply.meeting_at.tzinfo).strftime("%Y-%m-%d %H:%M")
            d["link"] = reply.meeting_link
            body = (
                _(
                    "The exchange invites you to an online meeting about your feedback No. %(serial)s on %(when)s.\n"
                    "Link: %(link)s\nThe invitation is attached. Details: %(url)s\n"
                )
                % d
            )
            subject = gettext_noop("Meeting invitation: feedback No. %(serial)s")
        else:
            body = (
                _(
                    "The exchange has replied to your feedback No. %(serial)s. The letter is attached and the "
                    "reply can be read here: %(url)s\n"
                )
                % d
                + "\n"
                + reply.text
            )
            subject = gettext_noop("Reply to feedback No. %(serial)s")
        _send(form, subject, body, "feedback_reply", attachments=(attachment,) if attachment else ())
