"""The plan's whole life through the real services, its refusals, and the profile rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from huifu.audit.models import AuditEvent
from huifu.budget.models import Allocation, AllocationStatus
from huifu.budget.services import invoice_register, payment_record
from huifu.deepening import services
from huifu.deepening.models import (
    ActivityStatus,
    ContactChannel,
    DeepeningPlan,
    EnterpriseProfile,
    EnterpriseSituation,
    PlanEventKind,
    PlanStatus,
)
from huifu.deepening.services import DeepeningStateError
from huifu.deepening.services.plans import CLOSEOUT_KIND, EXECUTION_KIND, REVIEW_KIND, REVISION_KIND
from huifu.directory.models import Organisation, OrganisationKind
from huifu.directory.regions import Region
from huifu.tracking.models import TrackedStatus
from huifu.tracking.services import tracked_for

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_full_path_with_return_for_revision(
    make_plan, member_a_admin, member_a_contact, coordinator, finance_user, pool, ent_jiangxi, ent_shanghai, org_a
):
    plan = make_plan(enterprises=[ent_jiangxi, ent_shanghai], amount="90000.00")
    first = services.plan_submit(actor=member_a_admin, plan=plan)
    review = tracked_for(first, REVIEW_KIND)
    assert review.is_open and review.department == coordinator.department and review.organisation == org_a

    services.plan_return(actor=coordinator, plan=plan, comment="请细化每家企业的培训安排")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    assert tracked_for(first, REVIEW_KIND).status == TrackedStatus.DONE
    assert tracked_for(first, REVISION_KIND).is_open
    first.refresh_from_db()
    assert first.return_comment == "请细化每家企业的培训安排"

    services.plan_update(actor=member_a_contact, plan=plan, objectives="细化后的目标")
    second = services.plan_submit(actor=member_a_admin, plan=plan)
    assert second.number == 2 and second.requested_amount == Decimal("90000.00")
    assert tracked_for(first, REVISION_KIND).status == TrackedStatus.DONE
    assert tracked_for(second, REVIEW_KIND).is_open

    jiangxi_profile = plan.enterprises.get(profile__enterprise=ent_jiangxi).profile_id
    services.plan_approve(
        actor=coordinator,
        plan=plan,
        pool=pool,
        amount="60000.00",
        selected_profile_ids=[jiangxi_profile],
        note="选定江西企业",
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_amount == Decimal("60000.00")
    assert {e.profile.enterprise_id: e.selected for e in plan.enterprises.all()} == {
        ent_jiangxi.pk: True,
        ent_shanghai.pk: False,
    }
    allocation = Allocation.objects.get(pk=plan.allocation_id)
    assert allocation.approved_amount == Decimal("60000.00") and allocation.requested_amount == Decimal("90000.00")
    assert tracked_for(second, REVIEW_KIND).status == TrackedStatus.DONE
    assert tracked_for(plan, EXECUTION_KIND).is_open

    activities = list(plan.activities.order_by("pk"))
    services.activity_report(
        actor=member_a_contact,
        activity=activities[0],
        done_date=timezone.localdate(),
        attendance=35,
        report="培训顺利",
        files=[pdf_upload()],
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    assert activities[0].evidence.get().file.organisation == org_a
    with pytest.raises(ValidationError) as exc:
        services.plan_complete(actor=member_a_admin, plan=plan, summary="完成")
    assert "summary" in exc.value.message_dict
    services.activity_report(actor=member_a_contact, activity=activities[1], done=False, report="企业未入选")
    services.plan_complete(actor=member_a_admin, plan=plan, summary="完成培训一场，35人参加")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED
    assert tracked_for(plan, EXECUTION_KIND).status == TrackedStatus.DONE
    assert tracked_for(plan, CLOSEOUT_KIND).is_open

    invoice_register(
        allocation=allocation,
        number="23310000000012345678",
        amount="50000.00",
        issue_date=timezone.localdate(),
        file=pdf_upload("发票.pdf"),
        actor=member_a_admin,
    )
    payment_record(
        allocation=allocation,
        payee_name=org_a.name_zh,
        bank_name="中国银行上海分行",
        bank_account="4563 5100 0000 1234",
        amount="50000.00",
        paid_on=timezone.localdate(),
        reference="TRX20230901",
        actor=finance_user,
    )
    assert plan.events.filter(kind=PlanEventKind.PAYMENT).count() == 1

    services.plan_close(actor=coordinator, plan=plan, note="费用已结清")
    plan.refresh_from_db()
    allocation.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and plan.closed_at is not None
    assert allocation.status == AllocationStatus.RELEASED and allocation.approved_amount == Decimal("50000.00")
    assert tracked_for(plan, CLOSEOUT_KIND).status == TrackedStatus.DONE
    assert list(plan.events.values_list("kind", flat=True)) == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "approved",
        "progress",
        "progress",
        "completed",
        "payment",
        "closed",
    ]


def test_pool_exhaustion_refuses_approval_with_the_pools_message(
    make_plan, member_a_admin, coordinator, pool, ent_jiangxi
):
    plan = make_plan(enterprises=[ent_jiangxi], submit=True)
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(actor=coordinator, plan=plan, pool=pool, amount="500000.01")
    assert "amount" in exc.value.message_dict
    assert "500,000.00" in exc.value.message_dict["amount"][0] or "500000" in exc.value.message_dict["amount"][0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.approved_amount is None
    assert not Allocation.objects.exists()
    assert plan.enterprises.get().selected is None


def test_two_plans_share_the_pool(make_plan, member_b_admin, coordinator, pool, ent_jiangxi, ent_yunnan):
    first = make_plan(enterprises=[ent_jiangxi], submit=True)
    second = make_plan(enterprises=[ent_yunnan], submit=True, actor=member_b_admin)
    services.plan_approve(actor=coordinator, plan=first, pool=pool, amount="400000.00")
    with pytest.raises(ValidationError):
        services.plan_approve(actor=coordinator, plan=second, pool=pool, amount="100000.01")
    services.plan_approve(actor=coordinator, plan=second, pool=pool, amount="100000.00")
    second.refresh_from_db()
    assert second.status == PlanStatus.APPROVED


def test_reject_needs_reason_and_is_terminal(make_plan, coordinator, member_a_admin, ent_jiangxi):
    plan = make_plan(enterprises=[ent_jiangxi], submit=True)
    with pytest.raises(ValidationError):
        services.plan_reject(actor=coordinator, plan=plan, reason=" ")
    services.plan_reject(actor=coordinator, plan=plan, reason="与年度重点不符")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REJECTED and plan.decision_note == "与年度重点不符"
    with pytest.raises(DeepeningStateError):
        services.plan_submit(actor=member_a_admin, plan=plan)
    with pytest.raises(DeepeningStateError):
        services.plan_update(actor=member_a_admin, plan=plan, title="新标题")


def test_submit_needs_enterprises_and_activities(make_plan, member_a_admin):
    plan = make_plan()
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=member_a_admin, plan=plan)
    assert {"enterprises", "activities"} <= set(exc.value.message_dict)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.submissions.exists()


def test_only_org_admin_submits_and_only_coordinator_reviews(
    make_plan, member_a_contact, member_b_admin, dept_staff, member_a_admin, ent_jiangxi, pool
):
    plan = make_plan(enterprises=[ent_jiangxi])
    for actor in (member_a_contact, member_b_admin, dept_staff):
        with pytest.raises(PermissionDenied):
            services.plan_submit(actor=actor, plan=plan)
    services.plan_submit(actor=member_a_admin, plan=plan)
    for actor in (member_a_admin, dept_staff):
        with pytest.raises(PermissionDenied):
            services.plan_approve(actor=actor, plan=plan, pool=pool, amount="1.00")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_submitted_plan_is_not_editable(make_plan, member_a_admin, ent_jiangxi):
    plan = make_plan(enterprises=[ent_jiangxi], submit=True)
    with pytest.raises(DeepeningStateError):
        services.budget_line_add(actor=member_a_admin, plan=plan, item="追加", amount="1.00")
    with pytest.raises(DeepeningStateError):
        services.plan_activity_remove(actor=member_a_admin, activity=plan.activities.first())


def test_activity_date_within_period_and_money_exact(make_plan, member_a_admin):
    plan = make_plan()
    with pytest.raises(ValidationError) as exc:
        services.plan_activity_add(
            actor=member_a_admin,
            plan=plan,
            kind="seminar",
            title="座谈",
            planned_date=plan.period_end + datetime.timedelta(days=1),
        )
    assert "planned_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.budget_line_add(actor=member_a_admin, plan=plan, item="资料", amount="10.001")
    assert "amount" in exc.value.message_dict


def test_report_refused_before_approval_and_twice(make_plan, member_a_admin, coordinator, pool, ent_jiangxi):
    plan = make_plan(enterprises=[ent_jiangxi], submit=True)
    activity = plan.activities.get()
    with pytest.raises(DeepeningStateError):
        services.activity_report(actor=member_a_admin, activity=activity, done_date=timezone.localdate(), attendance=3)
    services.plan_approve(actor=coordinator, plan=plan, pool=pool, amount="1000.00")
    with pytest.raises(ValidationError) as exc:
        services.activity_report(
            actor=member_a_admin,
            activity=activity,
            done_date=timezone.localdate() + datetime.timedelta(days=2),
            attendance=3,
        )
    assert "done_date" in exc.value.message_dict
    services.activity_report(actor=member_a_admin, activity=activity, done_date=timezone.localdate(), attendance=3)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DONE
    with pytest.raises(DeepeningStateError):
        services.activity_report(actor=member_a_admin, activity=activity, done_date=timezone.localdate(), attendance=3)


def test_supervision_note_only_by_regulator_of_the_region(
    make_plan, regulator, regulator_jiangxi, coordinator, ent_jiangxi
):
    plan = make_plan(enterprises=[ent_jiangxi], submit=True)
    with pytest.raises(PermissionDenied):
        services.supervision_note_add(actor=regulator, plan=plan, body="上海局意见")
    with pytest.raises(PermissionDenied):
        services.supervision_note_add(actor=coordinator, plan=plan, body="交易所")
    note = services.supervision_note_add(actor=regulator_jiangxi, plan=plan, body="请按月报送进展")
    assert note.bureau == regulator_jiangxi.organisation
    assert plan.supervision_notes.count() == 1


def test_each_operation_writes_one_audit_entry_on_the_plan(make_plan, member_a_admin, ent_jiangxi):
    plan = make_plan(enterprises=[ent_jiangxi])
    before = AuditEvent.objects.filter(target_id=str(plan.pk), target_type__model="deepeningplan").count()
    services.plan_update(actor=member_a_admin, plan=plan, title="新标题")
    after = AuditEvent.objects.filter(target_id=str(plan.pk), target_type__model="deepeningplan").count()
    assert after == before + 1


# --- Profiles ---------------------------------------------------------------------------------------


def test_profile_obstacle_needs_description(member_a_admin, ent_yunnan):
    with pytest.raises(ValidationError) as exc:
        services.profile_create(
            actor=member_a_admin, enterprise=ent_yunnan, industry="橡胶", situation=EnterpriseSituation.OBSTACLE
        )
    assert "obstacle_description" in exc.value.message_dict
    assert not EnterpriseProfile.objects.exists()


def test_profile_once_per_member_and_enterprise(make_profile, ent_yunnan, member_b_admin):
    make_profile(ent_yunnan)
    with pytest.raises(ValidationError):
        make_profile(ent_yunnan)
    make_profile(ent_yunnan, actor=member_b_admin)  # another member may serve the same enterprise
    assert EnterpriseProfile.objects.count() == 2


def test_new_enterprise_registered_by_coordinator(member_a_admin, coordinator):
    profile = services.profile_create(
        actor=member_a_admin,
        pending_name="云南某天然橡胶种植有限公司",
        pending_region=Region.YUNNAN,
        industry="天然橡胶",
        situation="willing",
        products_of_interest="天然橡胶，20号胶",
    )
    assert profile.region == Region.YUNNAN and profile.products_of_interest == ["天然橡胶", "20号胶"]
    with pytest.raises(PermissionDenied):
        services.profile_register_enterprise(actor=member_a_admin, profile=profile)
    services.profile_register_enterprise(actor=coordinator, profile=profile)
    profile.refresh_from_db()
    organisation = Organisation.objects.get(name_zh="云南某天然橡胶种植有限公司")
    assert organisation.kind == OrganisationKind.ENTERPRISE and organisation.region == Region.YUNNAN
    assert profile.enterprise == organisation and profile.pending_name == ""


def test_new_enterprise_name_already_in_directory_is_refused(member_a_admin, ent_jiangxi):
    with pytest.raises(ValidationError) as exc:
        services.profile_create(
            actor=member_a_admin,
            pending_name=ent_jiangxi.name_zh,
            pending_region="jiangxi",
            industry="铜",
            situation="willing",
        )
    assert "pending_name" in exc.value.message_dict


def test_contact_log_is_appended(make_profile, member_a_contact, member_b_admin, ent_jiangxi):
    profile = make_profile(ent_jiangxi)
    entry = services.contact_log_add(
        actor=member_a_contact,
        profile=profile,
        contact_date=timezone.localdate(),
        channel=ContactChannel.VISIT,
        participants="张经理；企业财务总监",
        summary="了解套保需求",
        next_step="安排培训",
    )
    assert profile.contacts.get() == entry
    with pytest.raises(PermissionDenied):
        services.contact_log_add(
            actor=member_b_admin,
            profile=profile,
            contact_date=timezone.localdate(),
            channel="phone",
            participants="x",
            summary="y",
        )
    with pytest.raises(ValidationError) as exc:
        services.contact_log_add(
            actor=member_a_contact,
            profile=profile,
            contact_date=timezone.localdate(),
            channel="fax",
            participants="",
            summary="",
        )
    assert {"channel", "participants", "summary"} <= set(exc.value.message_dict)
    assert profile.contacts.count() == 1


def test_profile_of_other_members_plan_cannot_be_added(
    make_profile, make_plan, member_b_admin, member_a_admin, ent_jiangxi
):
    other = make_profile(ent_jiangxi, actor=member_b_admin)
    plan = make_plan()
    with pytest.raises(ValidationError) as exc:
        services.plan_enterprise_add(actor=member_a_admin, plan=plan, profile=other, objectives="x")
    assert "profile" in exc.value.message_dict
    assert DeepeningPlan.objects.get(pk=plan.pk).enterprises.count() == 0
