"""Notifications about tracked items: e-mail through the outbox and the department's optional
group-robot webhook (e.g. WeCom ``{"msgtype": "text", "text": {"content": ...}}``) through a job
with retries. Call inside the transaction of the change; delivery happens after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.accounts.models import User, UserKind
from huifu.core.http import absolute_url
from huifu.directory.models import DepartmentKind
from huifu.notifications import kinds
from huifu.notifications.services import notify, webhook_wanted
from huifu.workdays.engine import china_date

from .models import TrackedItem, WebhookDelivery

logger = logging.getLogger(__name__)

MAIL_PREFIX = "[会服]"
# The in-app lines (rendered in the reader's language when read): the mails' subjects.
ASSIGNED = gettext_noop("Assigned to you: %(title)s")
DUE_SOON = gettext_noop("Due soon (%(due)s): %(title)s")
OVERDUE = gettext_noop("Overdue since %(due)s: %(title)s")


def _staff(qs: Any) -> list[User]:
    return list(qs.filter(kind=UserKind.STAFF, is_active=True).order_by("pk"))


def item_recipients(item: TrackedItem) -> list[User]:
    """The owner, or everyone in the responsible department when nobody owns it yet."""
    if item.owner_id is not None:
        return [item.owner] if item.owner.is_active else []
    if item.department_id is not None:
        return _staff(User.objects.filter(department_id=item.department_id))
    return _staff(User.objects.filter(department__kind=DepartmentKind.COORDINATOR))


def escalation_recipients(item: TrackedItem) -> list[User]:
    """The head(s) of the responsible department and the coordinator department's staff."""
    people: dict[int, User] = {}
    if item.department_id is not None:
        for user in _staff(User.objects.filter(department_id=item.department_id, is_department_head=True)):
            people[user.pk] = user
    for user in _staff(User.objects.filter(department__kind=DepartmentKind.COORDINATOR)):
        people[user.pk] = user
    if item.owner_id is not None and item.owner.is_active:
        people.setdefault(item.owner_id, item.owner)
    return list(people.values())


def _mail(
    users: Iterable[User], subject: str, body: str, item: TrackedItem, topic: str, kind: str, message: str
) -> int:
    """Tell each of ``users`` in the notification centre and, unless they turned it off, by
    e-mail (the mail as it always read); returns the number of e-mails queued."""
    sent = 0
    params = {"title": item.title, "due": china_date(item.due_at).isoformat()}
    for user in users:
        mail = None
        if user.email:
            mail = {
                "to": user.email,
                "subject": f"{MAIL_PREFIX}{subject}",
                "body_text": body,
                "organisation": item.organisation,
                "topic": topic,
            }
        notify(
            recipient=user,
            kind=kind,
            message=message,
            params=params,
            url=item.url,
            organisation=item.organisation,
            mail=mail,
        )
        sent += 1 if mail is not None else 0
    return sent


def _post(department: Any, text: str, users: list[User], kind: str) -> None:
    """The department's group chat, unless every person told turned it off for this kind."""
    if webhook_wanted(users, kind):
        webhook_enqueue(department, text)


def webhook_enqueue(department: Any, text: str) -> WebhookDelivery | None:
    """Queue a POST of ``text`` to the department's webhook (if it has one), delivered after commit."""
    if department is None or not getattr(department, "webhook_url", ""):
        return None
    delivery = WebhookDelivery.objects.create(
        department=department, url=department.webhook_url, payload={"msgtype": "text", "text": {"content": text}}
    )
    from .tasks import deliver_webhook

    delivery_id = delivery.pk
    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery_id), robust=True)
    return delivery


def _describe(item: TrackedItem) -> dict[str, str]:
    return {
        "title": item.title,
        "due": china_date(item.due_at).isoformat(),
        "url": absolute_url(item.url),
        "organisation": str(item.organisation) if item.organisation_id else "-",
    }


def notify_assignment(item: TrackedItem) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        d = _describe(item)
        subject = _("Assigned to you: %(title)s") % d
        body = _("%(title)s\nCompany: %(organisation)s\nDue: %(due)s\nOpen: %(url)s\n") % d
        users = item_recipients(item)
        n = _mail(users, subject, body, item, "tracking_assigned", kinds.ASSIGNMENT, ASSIGNED)
        _post(item.department, subject + "\n" + body, users, kinds.ASSIGNMENT)
    return n


def notify_reminder(item: TrackedItem) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        d = _describe(item)
        subject = _("Due soon (%(due)s): %(title)s") % d
        body = _("This item is due on %(due)s.\n%(title)s\nCompany: %(organisation)s\nOpen: %(url)s\n") % d
        users = item_recipients(item)
        n = _mail(users, subject, body, item, "tracking_reminder", kinds.REMINDER, DUE_SOON)
        _post(item.department, subject + "\n" + body, users, kinds.REMINDER)
    return n


def notify_escalation(item: TrackedItem) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        d = _describe(item)
        subject = _("Overdue since %(due)s: %(title)s") % d
        body = (
            _(
                "This item was due on %(due)s and is not finished.\n%(title)s\nCompany: %(organisation)s\nOpen: %(url)s\n"
            )
            % d
        )
        users = escalation_recipients(item)
        n = _mail(users, subject, body, item, "tracking_escalation", kinds.ESCALATION, OVERDUE)
        _post(item.department, subject + "\n" + body, users, kinds.ESCALATION)
    return n
