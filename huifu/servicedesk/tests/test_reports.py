"""Report figures: grouped counts by channel, department and topic, and their query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huifu.servicedesk import reports, services

pytestmark = pytest.mark.django_db


def _row(rows, key, value):
    return next(r for r in rows if r[key] == value)


def test_report_groups_by_channel_department_and_topic(
    submit, replied_form, coordinator, dept_staff, dept_business, dept_msc
):
    other = submit(suggestions=["建议增加期权合约的行权价格数量"], help_requests=[])
    item = other.items.get()
    services.item_assign(item=item, owner=dept_staff, departments=[dept_business, dept_msc], actor=coordinator)
    topic = services.topic_create(name="期权", actor=coordinator)
    services.item_set_topics(item=item, topics=[topic], actor=coordinator)
    with CaptureQueriesContext(connection) as ctx:
        data = reports.report(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))
    assert len(ctx.captured_queries) <= 4
    # replied_form: 3 items answered on time; the other form: 1 open item.
    assert data["totals"] == {"received": 4, "answered": 3, "on_time": 3}
    assert _row(data["by_channel"], "form__channel", "portal")["received"] == 4
    business = _row(data["by_department"], "departments__name_zh", dept_business.name_zh)
    assert (business["received"], business["answered"], business["on_time"]) == (4, 3, 3)
    msc = _row(data["by_department"], "departments__name_zh", dept_msc.name_zh)
    assert (msc["received"], msc["answered"]) == (1, 0)
    assert _row(data["by_topic"], "topics__name", "期权")["received"] == 1
    assert _row(data["by_topic"], "topics__name", None)["received"] == 3
    # A period without forms counts nothing.
    empty = reports.report(datetime.date(2010, 1, 1), datetime.date(2010, 12, 31))
    assert empty["totals"] == {"received": 0, "answered": 0, "on_time": 0}


def test_late_reply_is_answered_but_not_on_time(submit, coordinator, dept_staff, dept_business):
    form = submit(received_at=datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.UTC), help_requests=[])
    for item in form.items.all():
        services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
    reply = services.reply_compose(form=form, mode="written", text="答复如下。", actor=coordinator)
    services.reply_approve_send(reply=reply, actor=coordinator)
    data = reports.report(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert data["totals"] == {"received": 2, "answered": 2, "on_time": 0}
