from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.activities import deadlines, services
from huifu.activities.models import Activity, ActivityStatus
from huifu.budget.models import Allocation, Invoice, Payment
from huifu.budget.selectors import pool_list
from huifu.budget.services import BudgetError, invoice_register, payment_record
from huifu.tracking.models import TrackedItem, TrackingPolicy
from huifu.tracking.services import tracked_for

from .conftest import LAST_WEEK, TODAY, pdf_upload, png_upload

S = ActivityStatus
YESTERDAY = TODAY - __import__("datetime").timedelta(days=1)


def _pay_kwargs(activity, amount):
    return {
        "payee_name": activity.organisation.name_zh,
        "bank_name": "中国银行上海分行",
        "bank_account": "4567890123456789",
        "amount": amount,
        "paid_on": YESTERDAY,
        "reference": f"R{amount}",
    }


def test_full_path_with_return_for_revision(
    official_calendar, make_activity, member_a_admin, coordinator, finance_user, pool
):
    activity = make_activity(member_a_admin)
    review = tracked_for(activity, deadlines.REVIEW)
    assert review.is_open and review.department.kind == "coordinator"

    activity = services.activity_return(actor=coordinator, activity=activity, comment="请补充嘉宾名单")
    assert activity.status == S.RETURNED
    assert tracked_for(activity, deadlines.REVIEW).status == "paused"
    services.activity_update(actor=member_a_admin, activity=activity, speakers="张教授、李研究员")
    activity = services.activity_submit(actor=member_a_admin, activity=activity)
    assert tracked_for(activity, deadlines.REVIEW).status == "open"

    activity = services.activity_approve(
        actor=coordinator, activity=activity, pool=pool, amount="100000", comment="场地费核减"
    )
    assert activity.approved_amount == Decimal("100000.00") < activity.requested_amount
    assert tracked_for(activity, deadlines.REVIEW).status == "done"
    assert tracked_for(activity, deadlines.SUMMARY).is_open
    assert pool_list(user=coordinator).get().committed == Decimal("100000.00")

    activity = services.activity_mark_held(actor=member_a_admin, activity=activity)
    with pytest.raises(ValidationError) as exc:
        services.activity_summary_submit(
            actor=member_a_admin, activity=activity, actual_attendance={"industry": 100}, summary="x"
        )
    assert "photos" in exc.value.message_dict
    services.activity_file_add(actor=member_a_admin, activity=activity, role="photo", upload=png_upload())
    activity = services.activity_summary_submit(
        actor=member_a_admin,
        activity=activity,
        actual_attendance={"industry": 128, "students": 12},
        summary="顺利举办",
        media_links="https://example.com/news",
    )
    assert tracked_for(activity, deadlines.SUMMARY).status == "done"
    activity = services.activity_summary_review(actor=coordinator, activity=activity, accept=False, comment="缺议程")
    assert activity.status == S.SUMMARY_RETURNED
    activity = services.activity_summary_submit(
        actor=member_a_admin,
        activity=activity,
        actual_attendance={"industry": 128},
        summary="顺利举办",
        agenda="9:00 开幕",
    )
    activity = services.activity_summary_review(actor=coordinator, activity=activity, accept=True)

    allocation = Allocation.objects.get()
    invoice_register(
        allocation=allocation,
        number="31000023110000000001",
        amount="100000",
        issue_date=YESTERDAY,
        file=pdf_upload(),
        actor=member_a_admin,
    )
    activity.refresh_from_db()
    assert activity.status == S.INVOICED
    assert tracked_for(activity, deadlines.PAYMENT).department.kind == "finance"
    payment_record(allocation=allocation, actor=finance_user, **_pay_kwargs(activity, "60000"))
    activity.refresh_from_db()
    assert activity.status == S.INVOICED
    payment_record(allocation=allocation, actor=finance_user, **_pay_kwargs(activity, "40000"))
    activity.refresh_from_db()
    assert activity.status == S.PAID
    assert tracked_for(activity, deadlines.PAYMENT).status == "done"
    activity = services.activity_close(actor=coordinator, activity=activity)

    targets = list(activity.steps.exclude(target="").values_list("target", flat=True))
    assert targets == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "approved",
        "held",
        "summary_submitted",
        "summary_returned",
        "summary_submitted",
        "summary_accepted",
        "invoiced",
        "paid",
        "closed",
    ]
    assert all(s.actor_id for s in activity.steps.exclude(target__in=["invoiced", "paid"]))
    from huifu.outbox.models import OutboxMessage

    assert OutboxMessage.objects.filter(topic="activity").count() >= 5


def test_rejection_needs_reason_and_is_terminal(make_activity, member_a_admin, coordinator, pool):
    activity = make_activity(member_a_admin)
    with pytest.raises(ValidationError):
        services.activity_reject(actor=coordinator, activity=activity, reason="")
    activity = services.activity_reject(actor=coordinator, activity=activity, reason="与年度重点不符")
    assert activity.status == S.REJECTED
    with pytest.raises(services.ActivityStateError):
        services.activity_approve(actor=coordinator, activity=activity, pool=pool, amount="1")
    assert not Allocation.objects.exists()


def test_required_fields_and_caps_checked_on_submit(make_activity, member_a_admin, special_type):
    with pytest.raises(ValidationError) as exc:
        make_activity(member_a_admin, speakers="", lines=(("场地费", "100000.01"), ("专家费", "250000")))
    errors = exc.value.message_dict
    assert "speakers" in errors
    assert any("场地费" in m for m in errors["budget_lines"])
    assert any("300,000.00" in m for m in errors["budget_lines"])
    assert Activity.objects.get().status == S.DRAFT
    with pytest.raises(ValidationError) as exc:
        make_activity(member_a_admin, activity_type=special_type, theme="其他主题")
    assert "theme" in exc.value.message_dict


def test_venue_or_online(make_activity, member_a_admin):
    with pytest.raises(ValidationError) as exc:
        make_activity(member_a_admin, venue="")
    assert "venue" in exc.value.message_dict
    assert make_activity(member_a_admin, venue="", online=True).status == S.SUBMITTED


def test_bad_money_in_budget_lines(member_a_admin, forum_type):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            actor=member_a_admin,
            activity_type=forum_type,
            title="x",
            starts_on=TODAY,
            ends_on=TODAY,
            lines=[("场地费", "12.345")],
        )
    assert "budget_lines" in exc.value.message_dict
    assert not Activity.objects.exists()


def test_approval_limits(make_activity, member_a_admin, member_b_admin, coordinator, pool):
    first = make_activity(member_a_admin)
    with pytest.raises(ValidationError) as exc:
        services.activity_approve(actor=coordinator, activity=first, pool=pool, amount="120000.01")
    assert "amount" in exc.value.message_dict
    services.activity_approve(actor=coordinator, activity=first, pool=pool, amount="120000")
    others = [make_activity(member_b_admin) for _ in range(4)]
    for activity in others[:3]:
        services.activity_approve(actor=coordinator, activity=activity, pool=pool, amount="120000")
    with pytest.raises(BudgetError) as exc:  # 480,000 committed of 500,000
        services.activity_approve(actor=coordinator, activity=others[3], pool=pool, amount="20000.01")
    assert exc.value.code == "pool_exhausted"
    assert Activity.objects.get(pk=others[3].pk).status == S.SUBMITTED


def test_only_reviewers_review_and_only_owners_change(
    make_activity, member_a_admin, member_b_admin, dept_staff, coordinator, pool
):
    activity = make_activity(member_a_admin, submit=False)
    with pytest.raises(PermissionDenied):
        services.activity_submit(actor=member_b_admin, activity=activity)
    activity = services.activity_submit(actor=member_a_admin, activity=activity)
    for user in (dept_staff, member_a_admin):
        with pytest.raises(PermissionDenied):
            services.activity_approve(actor=user, activity=activity, pool=pool, amount="1")
    assert Activity.objects.get().status == S.SUBMITTED


def test_invoice_before_summary_accepted_refused(approved_activity, member_a_admin):
    with pytest.raises(ValidationError):
        invoice_register(
            allocation=Allocation.objects.get(),
            number="12345678",
            amount="1",
            issue_date=YESTERDAY,
            file=pdf_upload(),
            actor=member_a_admin,
        )
    assert not Invoice.objects.exists()


def test_duplicate_invoice_and_over_payment(accepted_activity, member_a_admin, finance_user):
    allocation = Allocation.objects.get()
    invoice_register(
        allocation=allocation,
        number="12345678",
        amount="50000",
        issue_date=YESTERDAY,
        file=pdf_upload(),
        actor=member_a_admin,
    )
    with pytest.raises(BudgetError) as exc:
        invoice_register(
            allocation=allocation,
            number="12345678",
            amount="50000",
            issue_date=YESTERDAY,
            file=pdf_upload(),
            actor=member_a_admin,
        )
    assert exc.value.code == "duplicate_invoice"
    with pytest.raises(BudgetError) as exc:
        payment_record(allocation=allocation, actor=finance_user, **_pay_kwargs(accepted_activity, "100000.01"))
    assert exc.value.code == "over_payment"
    assert not Payment.objects.exists()


def test_deadlines_are_data(official_calendar, make_activity, member_a_admin):
    TrackingPolicy.objects.create(kind=deadlines.REVIEW, default_rule="calendar_days", default_amount=3)
    activity = make_activity(member_a_admin)
    item = TrackedItem.objects.get(kind=deadlines.REVIEW, target_id=str(activity.pk))
    assert (item.deadline_rule, item.deadline_amount) == ("calendar_days", 3)


def test_summary_due_counts_from_event_end(official_calendar, approved_activity):
    item = tracked_for(approved_activity, deadlines.SUMMARY)
    assert item.deadline_amount == 10 and item.received_at.date() == LAST_WEEK


def test_guideline_published_as_notice(coordinator):
    from huifu.notices.models import NoticeCategory

    guideline = services.guideline_publish(
        year=2023, title="2023年合作举办市场活动指引", body="一、活动类型……", actor=coordinator
    )
    assert guideline.notice.category == NoticeCategory.GUIDELINE and guideline.notice.is_published
    with pytest.raises(ValidationError):
        services.guideline_publish(year=2023, title="again", body="x", actor=coordinator)
