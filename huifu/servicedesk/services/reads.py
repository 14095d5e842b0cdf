"""Read markers of sent replies: the member user opened the reply (issue 10, the home card's
"replies to read"). Bookkeeping like the notices' read receipts: no audit entry, no state change
of the reply; idempotent (a second opening keeps the first moment)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from huifu.accounts.predicates import is_member_user

from ..models import Reply, ReplyRead, ReplyStatus


def reply_mark_read(*, user: Any, reply: Reply | None) -> bool:
    """Record that ``user`` (a member user of the reply's company) opened the sent ``reply``.
    Returns True when this was the first opening. Staff, other companies and unsent replies
    record nothing."""
    if (
        reply is None
        or reply.status != ReplyStatus.SENT
        or not is_member_user(user)
        or user.organisation_id is None
        or user.organisation_id != reply.form.organisation_id
    ):
        return False
    if ReplyRead.objects.filter(reply=reply, user=user).exists():
        return False
    try:
        with transaction.atomic():
            ReplyRead.objects.create(reply=reply, user=user, read_at=timezone.now())
    except IntegrityError:  # two tabs at once: the first one counts
        return False
    return True
