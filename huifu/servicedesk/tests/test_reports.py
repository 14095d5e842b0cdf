"""Report figures: grouped counts by channel, department and topic, and their query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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


def _comparable(data):
    return {
        "totals": data["totals"],
        **{
            key: sorted((str(r["label"]), r["received"], r["answered"], r["on_time"]) for r in data[key])
            for key in ("by_channel", "by_department", "by_topic")
        },
    }


def test_summary_equals_a_recount_from_scratch_for_any_period(
    submit, replied_form, coordinator, dept_staff, dept_business, dept_msc
):
    late = submit(received_at=datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.UTC), help_requests=[])
    for item in late.items.all():
        services.item_assign(item=item, owner=dept_staff, departments=[dept_business, dept_msc], actor=coordinator)
    services.reply_approve_send(
        reply=services.reply_compose(form=late, mode="written", text="答复如下。", actor=coordinator), actor=coordinator
    )
    # Received 23:30 China time on 2024-05-31 (15:30 UTC): counted on the 31st, not in June.
    edge = submit(received_at=datetime.datetime(2024, 5, 31, 15, 30, tzinfo=datetime.UTC), help_requests=[])
    topic = services.topic_create(name="期权", actor=coordinator)
    services.item_set_topics(item=edge.items.first(), topics=[topic], actor=coordinator)

    snapshot = reports.report_refresh()
    periods = [
        (None, None),
        (datetime.date(2024, 1, 1), datetime.date(2024, 5, 31)),
        (datetime.date(2024, 6, 1), datetime.date(2030, 12, 31)),
        (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1)),
        (datetime.date(2010, 1, 1), datetime.date(2010, 12, 31)),
    ]
    for start, end in periods:
        summary = reports.report(start, end)
        assert summary["as_of"] == snapshot.refreshed_at
        assert _comparable(summary) == _comparable(reports.report_live(start, end)), (start, end)
    assert reports.report(datetime.date(2024, 5, 31), datetime.date(2024, 5, 31))["totals"]["received"] == 2

    # New work is counted at the next refresh; the page says as of when.
    submit(received_at=datetime.datetime(2024, 5, 31, 2, tzinfo=datetime.UTC), help_requests=[])
    assert reports.report()["totals"] != reports.report_live()["totals"]
    reports.report_refresh()
    assert _comparable(reports.report()) == _comparable(reports.report_live())


def test_report_page_shows_as_of_and_reads_the_summary(client, submit, coordinator):
    from django.urls import reverse

    from huifu.core.testing.auth import login

    submit()
    login(client, coordinator)
    assert 'data-testid="as-of"' in client.get(reverse("servicedesk:reports")).content.decode()
    snapshot = reports.report_refresh()
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("servicedesk:reports")).content.decode()
    assert f"{timezone.localtime(snapshot.refreshed_at):%Y-%m-%d %H:%M}" in body
    assert not any("servicedesk_feedbackitem" in q["sql"] for q in ctx.captured_queries)


def test_report_count_column_is_labelled_as_a_count_in_chinese(client, submit, coordinator):
    """The statistics column holds how many items came in; it read 收到时间 (time received)."""
    from django.urls import reverse
    from django.utils import translation

    from huifu.core.testing.auth import login

    submit()
    login(client, coordinator)
    with translation.override("zh-hans"):
        body = client.get(reverse("servicedesk:reports"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "收到件数" in body
    assert "收到时间" not in body
