"""The e-mail fan-out of a published notice, run as jobs.

``notice_publish`` records a :class:`NoticeMailing` (the audience size) and enqueues one job on
commit; the request never renders or writes a mail. Each job (:func:`notice_mailing_continue`)
locks the mailing, writes the outbox mails of the next ``CHUNK`` audience users after
``last_user_id`` and moves the cursor in the same transaction, then enqueues the next chunk on
commit. A job that is retried, duplicated or reclaimed after its worker died continues from the
last committed chunk: every recipient gets exactly one mail. A withdrawn notice stops mailing.
``notice_mailings_recover`` (run by the worker's sweep) restarts a fan-out whose chain broke.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from huifu.core.jobs import enqueue_on_commit
from huifu.notifications import kinds as notification_kinds
from huifu.notifications import messages as notification_messages
from huifu.notifications.services import notify

from . import selectors
from .models import Notice, NoticeMailing, NoticeStatus

logger = logging.getLogger(__name__)

CHUNK = 200
# A fan-out with no progress for this long lost its job chain and is restarted.
STALL = datetime.timedelta(minutes=5)


def schedule_mailing(notice_id: int) -> None:
    """Enqueue the next chunk once the current transaction commits (``robust``: if the queue is
    down, the sweep restarts the fan-out later)."""
    from .tasks import notice_send_mails

    enqueue_on_commit(notice_send_mails, notice_id)


def notice_mailing_start(*, notice: Notice) -> NoticeMailing:
    """Record the fan-out of a notice being published (inside the publication's transaction) and
    schedule its first chunk. Two queries whatever the audience size."""
    mailing = NoticeMailing.objects.create(notice=notice, total=selectors.notice_audience_users(notice).count())
    schedule_mailing(notice.pk)
    return mailing


def notice_mailing_continue(*, notice_id: int, chunk: int = CHUNK) -> int:
    """Write the next chunk of mails of a notice's fan-out; return how many were written."""
    from .services import MAIL_SUBJECT_PREFIX, MAIL_TOPIC, _mail_body

    with transaction.atomic():
        mailing = (
            NoticeMailing.objects.select_for_update()
            .filter(notice_id=notice_id, finished_at__isnull=True)
            .select_related("notice")
            .first()
        )
        if mailing is None:
            return 0
        notice = mailing.notice
        users: list[Any] = []
        if notice.status == NoticeStatus.PUBLISHED:
            users = list(
                selectors.notice_audience_users(notice)
                .filter(pk__gt=mailing.last_user_id)
                .select_related("organisation")
                .order_by("pk")[:chunk]
            )
        subject = f"{MAIL_SUBJECT_PREFIX} {notice.title}"
        for user in users:
            # In the reader's notification centre too; the mail unless they turned it off.
            notify(
                recipient=user,
                kind=notification_kinds.PUBLICATION,
                message=notification_messages.NOTICE_PUBLISHED,
                params={"title": notice.title},
                url=notice.get_absolute_url(),
                organisation=user.organisation,
                mail={
                    "to": user.email,
                    "subject": subject,
                    "body_text": _mail_body(notice, user),
                    "organisation": user.organisation,
                    "topic": MAIL_TOPIC,
                },
            )
        mailing.queued += len(users)
        if users:
            mailing.last_user_id = users[-1].pk
        if len(users) < chunk:
            mailing.finished_at = timezone.now()
        mailing.save()
        if mailing.finished_at is None:
            schedule_mailing(notice_id)
    logger.info("notice %s: %s mail(s) queued (%s/%s)", notice_id, len(users), mailing.queued, mailing.total)
    return len(users)


def notice_mailings_recover(*, now: datetime.datetime | None = None) -> int:
    """Restart fan-outs with no progress for ``STALL`` (their job was lost); returns how many.
    Harmless when the job is merely slow: chunks are serialised by the mailing's row lock."""
    from .tasks import notice_send_mails

    now = now or timezone.now()
    stalled = list(
        NoticeMailing.objects.filter(finished_at__isnull=True, updated_at__lt=now - STALL).values_list(
            "notice_id", flat=True
        )[:100]
    )
    for notice_id in stalled:
        notice_send_mails.enqueue(notice_id)
    return len(stalled)
