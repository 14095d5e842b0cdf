from __future__ import annotations

import datetime

import pytest

from huifu.tracking.models import DeadlineRule
from huifu.tracking.services import tracked_open
from huifu.workdays.engine import CHINA_TZ


def at(y: int, m: int, d: int, h: int = 10) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, tzinfo=CHINA_TZ)


@pytest.fixture
def open_item(official_calendar, org_a):
    """open_item(target=..., received_at=..., rule=..., amount=..., **kw) -> TrackedItem."""

    def make(*, target=None, kind="test", received_at=None, rule=DeadlineRule.WORKING_DAYS, amount=2, **kw):
        target = target or org_a
        return tracked_open(
            target=target,
            kind=kind,
            title=kw.pop("title", f"跟踪事项 {kind}"),
            url=kw.pop("url", "/x/"),
            received_at=received_at or at(2023, 9, 28),
            rule=rule,
            amount=amount,
            actor=kw.pop("actor", None),
            **kw,
        )

    return make
