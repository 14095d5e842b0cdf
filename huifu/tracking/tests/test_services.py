from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from huifu.audit.models import AuditEvent
from huifu.outbox.models import OutboxMessage
from huifu.tracking.models import DeadlineRule, TrackedStatus
from huifu.tracking.services import (
    TrackingStateError,
    tracked_assign,
    tracked_close,
    tracked_for,
    tracked_pause,
    tracked_reopen,
    tracked_resume,
)
from huifu.workdays.engine import china_date

from .conftest import at

pytestmark = pytest.mark.django_db


def test_working_day_deadline_crosses_national_day_to_sunday_makeup_day(open_item):
    item = open_item(received_at=at(2023, 9, 28, 16), rule=DeadlineRule.WORKING_DAYS, amount=2)
    assert item.due_at == datetime.datetime(2023, 10, 8, 23, 59, 59, 999999, tzinfo=at(2023, 1, 1).tzinfo)
    assert item.status == TrackedStatus.OPEN and not item.provisional


def test_calendar_day_deadline_is_fourteen_days(open_item):
    item = open_item(received_at=at(2024, 9, 27), rule=DeadlineRule.CALENDAR_DAYS, amount=14)
    assert china_date(item.due_at) == datetime.date(2024, 10, 11)


def test_unpublished_year_is_provisional(open_item):
    item = open_item(received_at=at(2031, 3, 3), amount=2)
    assert item.provisional and item.warnings


def test_open_twice_returns_the_same_item(open_item, org_a):
    first = open_item(target=org_a, kind="k")
    second = open_item(target=org_a, kind="k")
    assert first.pk == second.pk
    assert tracked_for(org_a, "k").pk == first.pk


def test_pause_over_the_holiday_moves_due_by_working_days_paused(open_item, coordinator):
    item = open_item(received_at=at(2023, 9, 27), amount=2)  # 09-28, then (holidays) 10-07
    assert china_date(item.due_at) == datetime.date(2023, 10, 7)  # Saturday make-up working day
    item = tracked_pause(item=item, reason="等待会员补充材料", actor=coordinator, at=at(2023, 9, 28))
    assert item.status == TrackedStatus.PAUSED
    # Paused from 09-28 to 10-09: working days after 09-28 up to 10-09 are 10-07, 10-08, 10-09.
    item = tracked_resume(item=item, actor=coordinator, at=at(2023, 10, 9))
    assert item.status == TrackedStatus.OPEN and item.paused_at is None
    assert item.paused_working_days == 3
    # Three working days after the old due date 10-07: 10-08 (Sunday make-up day), 10-09, 10-10.
    assert china_date(item.due_at) == datetime.date(2023, 10, 10)


def test_pause_calendar_rule_moves_by_calendar_days(open_item, coordinator):
    item = open_item(received_at=at(2024, 9, 27), rule=DeadlineRule.CALENDAR_DAYS, amount=14)
    tracked_pause(item=item, reason="需要澄清", actor=coordinator, at=at(2024, 9, 30))
    item = tracked_resume(item=item, actor=coordinator, at=at(2024, 10, 8))
    assert china_date(item.due_at) == datetime.date(2024, 10, 19)
    assert item.paused_days_total == 8


def test_pause_needs_a_reason_and_a_running_item(open_item, coordinator):
    item = open_item()
    with pytest.raises(ValidationError) as exc:
        tracked_pause(item=item, reason="  ", actor=coordinator)
    assert "reason" in exc.value.message_dict
    with pytest.raises(TrackingStateError):
        tracked_resume(item=item, actor=coordinator)


def test_close_on_time_and_late(open_item, org_b, coordinator):
    early = open_item(received_at=at(2023, 9, 28), amount=2)
    early = tracked_close(item=early, actor=coordinator, at=at(2023, 10, 8, 23))
    assert early.status == TrackedStatus.DONE and early.on_time is True
    late = open_item(target=org_b, received_at=at(2023, 9, 28), amount=2)
    late = tracked_close(item=late, actor=coordinator, at=at(2023, 10, 9, 0))
    assert late.on_time is False
    again = tracked_close(item=late, actor=coordinator)
    assert again.done_at == late.done_at
    reopened = tracked_reopen(item=late, actor=coordinator)
    assert reopened.status == TrackedStatus.OPEN and reopened.on_time is None


def test_close_while_paused_counts_the_pause(open_item, coordinator):
    item = open_item(received_at=at(2023, 9, 27), amount=2)
    tracked_pause(item=item, reason="等待", actor=coordinator, at=at(2023, 9, 28))
    item = tracked_close(item=item, actor=coordinator, at=at(2023, 10, 10))
    assert item.on_time is True


def test_cancel_has_no_on_time(open_item, coordinator):
    item = tracked_close(item=open_item(), actor=coordinator, cancelled=True)
    assert item.status == TrackedStatus.CANCELLED and item.on_time is None


def test_assign_notifies_the_new_owner_once_with_one_audit_entry(open_item, coordinator, dept_staff, dept_business):
    item = open_item()
    audits = AuditEvent.objects.count()
    item = tracked_assign(item=item, owner=dept_staff, department=dept_business, actor=coordinator)
    assert item.owner == dept_staff and item.department == dept_business
    assert AuditEvent.objects.count() == audits + 1
    mails = OutboxMessage.objects.filter(to=dept_staff.email, topic="tracking_assigned")
    assert mails.count() == 1
    tracked_assign(item=item, owner=dept_staff, actor=coordinator)  # no change: nothing new
    assert mails.count() == 1
    assert AuditEvent.objects.count() == audits + 1


def test_finished_item_cannot_be_reassigned(open_item, coordinator, dept_staff):
    item = tracked_close(item=open_item(), actor=coordinator)
    with pytest.raises(TrackingStateError):
        tracked_assign(item=item, owner=dept_staff, actor=coordinator)


def test_negative_amount_is_refused(open_item):
    with pytest.raises(ValidationError) as exc:
        open_item(amount=-1)
    assert "amount" in exc.value.message_dict


def test_assign_to_several_departments_keeps_the_lead_first(open_item, dept_business, dept_msc, dept_ine, coordinator):
    item = open_item(department=dept_business)
    assert list(item.departments.all()) == [dept_business]
    item = tracked_assign(item=item, departments=[dept_msc, dept_business], actor=coordinator)
    assert item.department == dept_msc
    assert set(item.departments.all()) == {dept_msc, dept_business}
    # Moving the lead alone: the old lead leaves the set, the other departments stay.
    item = tracked_assign(item=item, department=dept_ine, actor=coordinator)
    assert item.department == dept_ine
    assert set(item.departments.all()) == {dept_ine, dept_business}


def test_direct_operations_audit_themselves_and_audit_false_writes_nothing(
    open_item, dept_business, dept_msc, coordinator, msc_user
):
    item = open_item(department=dept_business)
    events = AuditEvent.objects.filter(target_id=str(item.pk))
    assert events.count() == 1  # opened
    tracked_assign(item=item, owner=msc_user, departments=[dept_msc, dept_business], actor=coordinator)
    assert events.count() == 2
    assert events.order_by("-pk").first().changes["departments"] == [
        [dept_business.pk],
        sorted([dept_msc.pk, dept_business.pk]),
    ]
    tracked_pause(item=item, reason="等待", actor=coordinator, audit=False)
    tracked_resume(item=item, actor=coordinator, audit=False)
    tracked_assign(item=item, owner=coordinator, actor=coordinator, audit=False)
    tracked_close(item=item, actor=coordinator, audit=False)
    tracked_reopen(item=item, actor=coordinator, audit=False)
    assert events.count() == 2
    item.refresh_from_db()
    assert item.owner == coordinator and item.status == TrackedStatus.OPEN
