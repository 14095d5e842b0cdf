"""Hotline services: logging calls, follow-ups on the working-day clock, the number as data."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.audit.models import AuditEvent
from huifu.hotline import selectors, services
from huifu.hotline.models import FollowUpStatus, HotlineCall, HotlineSetting
from huifu.tracking.models import TrackedStatus
from huifu.tracking.services import tracked_for

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_seeded_number_is_the_800_number_of_the_plan():
    assert selectors.hotline_number(datetime.date(2023, 6, 1)) == "800-820-3618"


def test_a_400_number_takes_over_on_its_date_and_history_is_kept(coordinator):
    services.hotline_setting_record(
        actor=coordinator, number="400-820-3618", effective_from=datetime.date(2024, 1, 1), note="改为400电话"
    )
    assert selectors.hotline_number(datetime.date(2023, 12, 31)) == "800-820-3618"
    assert selectors.hotline_number(datetime.date(2024, 1, 1)) == "400-820-3618"
    assert HotlineSetting.objects.count() == 2


def test_setting_input_is_checked(coordinator):
    for kwargs, field in (
        ({"number": "call us", "effective_from": datetime.date(2024, 1, 1)}, "number"),
        ({"number": "400-820-3618", "effective_from": datetime.date(2023, 1, 1)}, "effective_from"),
        (
            {"number": "400-820-3618", "effective_from": datetime.date(2024, 1, 1), "follow_up_working_days": 0},
            "follow_up_working_days",
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            services.hotline_setting_record(actor=coordinator, **kwargs)
        assert field in exc.value.message_dict
    assert HotlineSetting.objects.count() == 1


def test_only_msc_and_coordinator_change_the_setting(dept_staff):
    with pytest.raises(PermissionDenied):
        services.hotline_setting_record(
            actor=dept_staff, number="400-820-3618", effective_from=datetime.date(2024, 1, 1)
        )


def test_call_without_follow_up_opens_no_tracked_item(official_calendar, make_call, org_a):
    call = make_call(organisation=org_a, company_name="ignored", answer="已告知")
    assert call.follow_up_status == FollowUpStatus.NONE and call.company_label == org_a.name_zh
    assert tracked_for(call) is None
    assert AuditEvent.objects.filter(target_type__model="hotlinecall", target_id=str(call.pk)).count() == 1


def test_follow_up_is_tracked_with_the_deadline_of_the_setting(official_calendar, make_call, dept_staff, dept_business):
    received = datetime.datetime(2023, 9, 28, 10, 0, tzinfo=SHANGHAI)
    call = make_call(received_at=received, follow_up_needed=True, follow_up_owner=dept_staff, company_name="某期货")
    item = tracked_for(call, services.TRACKING_KIND)
    assert item.owner == dept_staff and item.department == dept_business  # department from the owner
    assert item.due_at.astimezone(SHANGHAI).date() == datetime.date(2023, 10, 8)
    assert item.topic == "trading" and call.company_label == "某期货"


def test_follow_up_deadline_follows_the_setting_in_force(official_calendar, make_call, coordinator, dept_business):
    services.hotline_setting_record(
        actor=coordinator, number="800-820-3618", effective_from=datetime.date(2024, 1, 1), follow_up_working_days=5
    )
    call = make_call(follow_up_needed=True, follow_up_department=dept_business)
    assert tracked_for(call).deadline_amount == 5


def test_follow_up_needs_someone_and_bad_input_saves_nothing(official_calendar, make_call, member_a_admin):
    with pytest.raises(ValidationError) as exc:
        make_call(follow_up_needed=True)
    assert "follow_up_owner" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_call(follow_up_needed=True, follow_up_owner=member_a_admin)
    assert "follow_up_owner" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_call(caller_name=" ", question="", topic="nope")
    assert {"caller_name", "question", "topic"} <= set(exc.value.message_dict)
    assert not HotlineCall.objects.exists()


def test_only_msc_and_coordinator_log_calls(official_calendar, make_call, dept_staff, member_a_admin):
    for user in (dept_staff, member_a_admin):
        with pytest.raises(PermissionDenied):
            make_call(actor=user)
    assert not HotlineCall.objects.exists()


def test_follow_up_close_by_owner_stops_clock(official_calendar, make_call, dept_staff, finance_user):
    call = make_call(follow_up_needed=True, follow_up_owner=dept_staff)
    with pytest.raises(PermissionDenied):
        services.call_follow_up_close(actor=finance_user, call=call, note="x")
    with pytest.raises(ValidationError):
        services.call_follow_up_close(actor=dept_staff, call=call, note=" ")
    call = services.call_follow_up_close(actor=dept_staff, call=call, note="已电话回复")
    assert call.follow_up_status == FollowUpStatus.DONE and call.followed_up_at
    assert tracked_for(call).status == TrackedStatus.DONE
    with pytest.raises(ValidationError):
        services.call_follow_up_close(actor=dept_staff, call=call, note="again")


def test_logging_and_closing_a_follow_up_write_one_audit_entry_each(official_calendar, make_call, dept_staff):
    from huifu.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    call = make_call(follow_up_needed=True, follow_up_owner=dept_staff)
    assert AuditEvent.objects.count() == before + 1  # the call, not also its tracked item
    services.call_follow_up_close(actor=dept_staff, call=call, note="已电话回复")
    assert AuditEvent.objects.count() == before + 2
