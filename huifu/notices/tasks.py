"""Jobs of the notices app."""

from __future__ import annotations

import datetime

from django_tasks import task


@task()
def notice_send_mails(notice_id: int) -> int:
    """Write the next chunk of a published notice's e-mails (see ``huifu.notices.mailing``)."""
    from .mailing import notice_mailing_continue

    return notice_mailing_continue(notice_id=notice_id)


def notice_mailings_recover(*, now: datetime.datetime | None = None) -> int:
    """The worker's recovery sweep for notice fan-outs (``huifu.core.worker.RECOVERY_SWEEPS``)."""
    from .mailing import notice_mailings_recover as recover

    return recover(now=now)
