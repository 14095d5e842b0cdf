"""Renewal reminders of MOUs on the working-day calendar.

An MOU that has not been renewed is announced ``remind_working_days`` working days before the
end of its term (``huifu.workdays.add_working_days(ends_on, -N)``: counting backwards skips
weekends and public holidays, so a reminder that would fall in a holiday such as National Day
moves to the working day before it). The periodic job ``universities_reminders`` sends it once
(``renewal_reminded_at``) to the MOU's responsible staff member (or the coordinators when
none is named) and to the university's admin users, through ``notify()``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from huifu.accounts.models import OrgRole, User, UserKind
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.notifications import kinds as notification_kinds
from huifu.notifications.services import notify
from huifu.workdays.services import add_working_days

from .models import Mou

MOU_RENEWAL = gettext_noop("MOU ends on %(date)s, decide on its renewal: %(title)s")

# Reminders are at most 120 working days before the end: about 200 calendar days.
HORIZON_DAYS = 200


def renewal_reminder_day(mou: Mou) -> datetime.date:
    """The working day the renewal reminder of ``mou`` is due."""
    return add_working_days(mou.ends_on, -max(1, mou.remind_working_days)).date


def renewals_due(*, today: datetime.date | None = None):  # noqa: ANN201
    """MOUs without a renewal whose term ends within the horizon and has not ended (a query;
    the reminder day itself is checked per MOU)."""
    today = today or timezone.localdate()
    return Mou.objects.filter(
        renewal__isnull=True, ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=HORIZON_DAYS)
    ).select_related("university", "owner")


def _recipients(mou: Mou) -> list[User]:
    staff = [mou.owner] if mou.owner_id and mou.owner.is_active else []
    if not staff:
        staff = list(
            User.objects.filter(is_active=True, kind=UserKind.STAFF, department__kind="coordinator").order_by("pk")
        )
    university_admins = list(
        User.objects.filter(is_active=True, organisation_id=mou.university_id, org_role=OrgRole.ADMIN).order_by("pk")
    )
    return staff + university_admins


def renewal_reminders_send(*, actor: Any, today: datetime.date | None = None) -> int:
    """Send the renewal reminders due by ``today``; idempotent. Returns how many MOUs were announced."""
    require(actor, "universities.manage")
    today = today or timezone.localdate()
    sent = 0
    for candidate in renewals_due(today=today).filter(renewal_reminded_at__isnull=True):
        if renewal_reminder_day(candidate) > today:
            continue
        with transaction.atomic():
            mou = Mou.objects.select_for_update().filter(pk=candidate.pk, renewal_reminded_at__isnull=True).first()
            if mou is None:
                continue
            url = mou.get_absolute_url()
            for person in _recipients(mou):
                lines = [
                    f"{person.full_name or person.email}，您好：",
                    "",
                    f"与{mou.university.name_zh}签署的合作备忘录“{mou.title}”将于{mou.ends_on:%Y年%m月%d日}到期。",
                    "请及时商议续签事宜；续签后请在会服登记新的备忘录并关联本备忘录。",
                    "",
                    f"查看备忘录：{absolute_url(url)}",
                ]
                notify(
                    recipient=person,
                    kind=notification_kinds.REMINDER,
                    message=MOU_RENEWAL,
                    params={"title": mou.title, "date": f"{mou.ends_on:%Y-%m-%d}"},
                    url=url,
                    organisation=mou.university,
                    mail={
                        "to": person.email,
                        "subject": f"[会服·高校合作] 备忘录续签提醒：{mou.university.name_zh}",
                        "body_text": "\n".join(lines),
                        "organisation": mou.university,
                        "topic": "universities",
                    },
                )
            Mou.objects.filter(pk=mou.pk).update(renewal_reminded_at=timezone.now())
            sent += 1
    return sent
