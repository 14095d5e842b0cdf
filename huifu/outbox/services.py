"""Writing to the outbox. Call :func:`mail_enqueue` inside the transaction of the change that
causes the mail: the row commits or rolls back with it, and delivery is scheduled on commit."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record, snapshot

from .models import OutboxMessage, OutboxStatus
from .rendered import Rendered

logger = logging.getLogger(__name__)

SUBJECT_MAX_LENGTH = OutboxMessage._meta.get_field("subject").max_length or 300


def _attachment_id(item: Any) -> str:
    """A StoredFile, its id (UUID) or its id as text -> the id as text; a ``Rendered``
    attachment (made when the mail is sent, ``huifu.outbox.rendered``) -> its reference."""
    if isinstance(item, Rendered):
        return item.reference
    value = getattr(item, "pk", item)
    try:
        return str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise ValueError(f"not a stored file or stored file id: {item!r}") from exc


def schedule_delivery(message_id: Any) -> None:
    """Enqueue the delivery job once the current transaction commits.

    ``robust``: if the queue is down at that moment the change stays committed and the message
    stays pending; ``manage.py outbox_flush`` (run by cron) picks it up later.
    """
    from huifu.core.jobs import enqueue_on_commit

    from .tasks import deliver_message

    enqueue_on_commit(deliver_message, str(message_id))


SIGNATURE_DELIMITER = "\n\n-- \n"


def mail_signature() -> list[str]:
    """The lines every e-mail ends with: the exchange and the platform, the hotline, the
    mailbox and the website, all from the identity (``huifu.core.identity``), never from code."""
    from huifu.core.identity import exchange

    ex = exchange()
    lines = [f"{ex.name} · {ex.platform}" if ex.platform else ex.name]
    contact = []
    if ex.hotline:
        contact.append(f"{_('Market Service Center hotline')} {ex.hotline}")
    if ex.mailbox:
        contact.append(ex.mailbox)
    if ex.website:
        contact.append(ex.website)
    if contact:
        lines.append(" · ".join(contact))
    return lines


def _signed(body_text: str, body_html: str) -> tuple[str, str]:
    lines = mail_signature()
    text = (body_text or "").rstrip() + SIGNATURE_DELIMITER + "\n".join(lines) + "\n"
    if body_html:
        block = '<p class="signature">' + "<br>".join(escape(line) for line in lines) + "</p>"
        lower = body_html.lower()
        at = lower.rfind("</body>")
        body_html = body_html[:at] + block + body_html[at:] if at >= 0 else body_html + block
    return text, body_html


def mail_enqueue(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    recipient: Any | None = None,
    organisation: Any | None = None,
    topic: str = "",
    attachments: Iterable[Any] = (),
) -> OutboxMessage:
    """Queue one e-mail to ``to`` and schedule its delivery after the current transaction commits.

    Call it inside the transaction of the change that causes the mail: a rollback leaves no row
    and sends nothing. ``attachments`` are StoredFile objects or their ids, or ``Rendered``
    references (made at sending, ``huifu.outbox.rendered``). ``recipient`` (a User)
    and ``organisation`` record who the mail is for. Writes no audit entry of its own: the
    calling service's entry covers the change. Raises ValidationError for an invalid address.
    """
    to = (to or "").strip()
    try:
        validate_email(to)
    except ValidationError:
        raise ValidationError(
            _("“%(address)s” is not a valid e-mail address."), code="invalid_email", params={"address": to}
        )
    # Header injection and over-long subjects would make every delivery attempt fail.
    clean_subject = " ".join(str(subject).split())[:SUBJECT_MAX_LENGTH]
    body_text, body_html = _signed(body_text, body_html or "")
    message = OutboxMessage.objects.create(
        to=to,
        subject=clean_subject,
        body_text=body_text,
        body_html=body_html,
        attachment_ids=[_attachment_id(a) for a in attachments],
        recipient=recipient,
        organisation=organisation,
        topic=topic[:60],
        status=OutboxStatus.PENDING,
    )
    schedule_delivery(message.pk)
    return message


class OutboxRetryError(ValidationError):
    pass


@transaction.atomic
def outbox_retry(*, message: OutboxMessage, actor: Any) -> OutboxMessage:
    """Put a failed (given-up) message back in the queue, due now, with a fresh attempt count.

    Only failed messages can be retried; a sent message is never sent again. One audit entry.
    """
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status != OutboxStatus.FAILED:
        raise OutboxRetryError(
            _("Only failed messages can be retried; this one is “%(status)s”."),
            code="not_failed",
            params={"status": locked.get_status_display()},
        )
    before = snapshot(locked, ["status", "attempts", "next_attempt_at"])
    locked.status = OutboxStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        target=locked,
        changes={
            "status": [before["status"], locked.status],
            "attempts": [before["attempts"], 0],
        },
        message="retry",
    )
    schedule_delivery(locked.pk)
    logger.info("outbox message %s put back in the queue by %s", locked.pk, actor)
    return locked
