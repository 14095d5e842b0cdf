"""The work state machine, who may move it, and the checks on reach and base figures."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from huifu.audit.models import AuditEvent
from huifu.eduworks import services
from huifu.eduworks.models import (
    WORK_TRANSITIONS,
    BaseKind,
    BaseMonthlyFigure,
    Channel,
    ReachFigure,
    ReviewDecision,
    Work,
    WorkState,
)
from huifu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_full_path_with_history(make_work, dept_staff, coordinator):
    work = make_work(state="withdrawn")
    assert work.state == WorkState.WITHDRAWN
    moves = [
        e.changes["state"]
        for e in AuditEvent.objects.filter(target_id=str(work.pk), action="transition").order_by("pk")
    ]
    assert moves == [
        ["draft", "submitted"],
        ["submitted", "in_review"],
        ["in_review", "approved"],
        ["approved", "published"],
        ["published", "withdrawn"],
    ]
    decision = ReviewDecision.objects.get(work=work)
    assert decision.reviewer == coordinator and all(c["ticked"] for c in decision.checklist)


def test_every_denied_transition_is_refused(make_work, coordinator, dept_head):
    """From each state, every operation whose target is not allowed raises illegal_transition."""
    operations = {
        WorkState.SUBMITTED: lambda w: services.work_submit(actor=w.created_by, work=w),
        WorkState.IN_REVIEW: lambda w: services.work_review_start(actor=dept_head, work=w),
        WorkState.APPROVED: lambda w: services.work_review_decide(
            actor=coordinator, work=w, approve=True, ticked=[i.code for i in services.checklist_items()]
        ),
        WorkState.RETURNED: lambda w: services.work_review_decide(
            actor=coordinator, work=w, approve=False, ticked=[], note="x"
        ),
        WorkState.PUBLISHED: lambda w: services.work_publish(
            actor=coordinator, work=w, channel=Channel.WEBSITE, published_on=timezone.localdate()
        ),
        WorkState.WITHDRAWN: lambda w: services.work_withdraw(actor=coordinator, work=w, reason="x"),
    }
    for state in ("draft", "submitted", "in_review", "returned", "approved", "published", "withdrawn"):
        work = make_work(state=state, title=f"作品-{state}")
        for target, operation in operations.items():
            if target in WORK_TRANSITIONS[state]:
                continue
            with pytest.raises((ValidationError, PermissionDenied)) as exc:
                operation(work)
            if isinstance(exc.value, ValidationError):
                assert exc.value.code in ("illegal_transition", "author_cannot_review"), (state, target)
            work.refresh_from_db()
            assert work.state == state


def test_author_cannot_review(make_work, dept_staff, dept_head, coordinator):
    work = make_work(state="submitted", author=dept_staff)
    with pytest.raises(ValidationError) as exc:
        services.work_review_start(actor=dept_staff, work=work)
    assert exc.value.code == "author_cannot_review"
    assert not dept_staff.has_perm("eduworks.review_work", work)
    assert dept_head.has_perm("eduworks.review_work", work)
    work = services.work_review_start(actor=dept_head, work=work)
    # Only the reviewer who took it decides; the author never.
    with pytest.raises(PermissionDenied):
        services.work_review_decide(actor=coordinator, work=work, approve=False, ticked=[], note="x")
    with pytest.raises(ValidationError):
        services.work_review_decide(actor=dept_staff, work=work, approve=False, ticked=[], note="x")
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.filter(pk=work.pk).update(reviewer=dept_staff)


def test_member_submitter_is_not_a_reviewer_and_member_cannot_review(make_work, member_a_admin, coordinator):
    work = make_work(state="submitted", author=member_a_admin)
    assert work.organisation == member_a_admin.organisation
    with pytest.raises((PermissionDenied, ValidationError)):
        services.work_review_start(actor=member_a_admin, work=work)
    services.work_review_start(actor=coordinator, work=work)


def test_approve_needs_every_item_and_return_needs_reason(make_work, coordinator):
    work = make_work(state="in_review")
    with pytest.raises(ValidationError) as exc:
        services.work_review_decide(actor=coordinator, work=work, approve=True, ticked=["accurate"])
    assert "ticked" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.work_review_decide(actor=coordinator, work=work, approve=False, ticked=[], note="  ")
    assert "note" in exc.value.message_dict
    work.refresh_from_db()
    assert work.state == WorkState.IN_REVIEW and not work.decisions.exists()


def test_return_and_resubmit_keeps_both_decisions_and_notifies(make_work, dept_staff, coordinator):
    work = make_work(state="returned")
    assert Notification.objects.filter(recipient=dept_staff, kind="decision").count() == 1
    services.work_update(actor=dept_staff, work=work, summary="补充了风险提示。")
    services.work_submit(actor=dept_staff, work=work)
    services.work_review_start(actor=coordinator, work=work)
    services.work_review_decide(
        actor=coordinator, work=work, approve=True, ticked=[i.code for i in services.checklist_items()]
    )
    assert list(work.decisions.values_list("outcome", flat=True)) == ["returned", "approved"]
    assert work.decisions.first().note == "补充风险提示"
    assert Notification.objects.filter(recipient=dept_staff, kind="decision").count() == 2


def test_submit_needs_author_and_third_party_note(dept_staff, cu):
    work = services.work_create(
        actor=dept_staff, kind="article", title="强行平仓", summary="讲解", rights_owner="交易所", products=[cu]
    )
    with pytest.raises(ValidationError) as exc:
        services.work_submit(actor=dept_staff, work=work)
    assert set(exc.value.message_dict) == {"authors", "third_party_note"}
    work.refresh_from_db()
    assert work.state == WorkState.DRAFT


def test_member_edits_only_own_company_works(make_work, member_a_admin, member_a_contact, member_b_admin):
    work = make_work(author=member_a_admin)
    assert member_a_contact.has_perm("eduworks.change_work", work)
    assert not member_b_admin.has_perm("eduworks.change_work", work)
    with pytest.raises(PermissionDenied):
        services.work_update(actor=member_b_admin, work=work, title="改")


def test_publish_date_not_in_future(make_work, coordinator):
    work = make_work(state="approved")
    with pytest.raises(ValidationError) as exc:
        services.work_publish(
            actor=coordinator,
            work=work,
            channel=Channel.APP,
            published_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "published_on" in exc.value.message_dict


def test_reach_duplicates_negative_and_before_publication(make_work, coordinator, member_a_admin, member_b_admin):
    today = timezone.localdate()
    work = make_work(state="published", author=member_a_admin, published_on=today.replace(day=1))
    services.reach_record(actor=member_a_admin, work=work, month=today, channel=Channel.WECHAT, views=100, plays=20)
    with pytest.raises(ValidationError) as exc:
        services.reach_record(actor=coordinator, work=work, month=today.replace(day=1), channel=Channel.WECHAT, views=5)
    assert exc.value.error_dict["month"][0].code == "duplicate"
    with pytest.raises(ValidationError) as exc:
        services.reach_record(actor=coordinator, work=work, month=today, channel=Channel.APP, views=-1)
    assert "views" in exc.value.message_dict
    before = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    with pytest.raises(ValidationError) as exc:
        services.reach_record(actor=coordinator, work=work, month=before, channel=Channel.APP, views=1)
    assert "month" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.reach_record(actor=member_b_admin, work=work, month=today, channel=Channel.APP, views=1)
    assert ReachFigure.objects.filter(work=work).count() == 1


def test_reach_only_once_published(make_work, coordinator):
    work = make_work(state="approved")
    with pytest.raises(ValidationError) as exc:
        services.reach_record(actor=coordinator, work=work, month=timezone.localdate(), channel=Channel.APP)
    assert exc.value.code == "not_published"


def test_base_figures_checks(coordinator, member_a_admin):
    today = timezone.localdate()
    services.base_figure_record(actor=coordinator, month=today, base=BaseKind.PHYSICAL, visitors=10, visits=12)
    with pytest.raises(ValidationError) as exc:
        services.base_figure_record(actor=coordinator, month=today, base=BaseKind.PHYSICAL, visitors=1, visits=1)
    assert exc.value.error_dict["month"][0].code == "duplicate"
    for bad, field in (
        ({"visitors": -3, "visits": 0}, "visitors"),
        ({"visitors": 5, "visits": 4}, "visits"),
        ({"surveyed": 2, "satisfied": 3}, "satisfied"),
        ({"visits": "abc"}, "visits"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.base_figure_record(actor=coordinator, month=today, base=BaseKind.ONLINE, **bad)
        assert field in exc.value.message_dict
    future = (today.replace(day=28) + datetime.timedelta(days=5)).replace(day=1)
    with pytest.raises(ValidationError):
        services.base_figure_record(actor=coordinator, month=future, base=BaseKind.ONLINE)
    with pytest.raises(PermissionDenied):
        services.base_figure_record(actor=member_a_admin, month=today, base=BaseKind.ONLINE)
    assert BaseMonthlyFigure.objects.count() == 1
