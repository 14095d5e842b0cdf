import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from huifu.audit.models import AuditEvent
from huifu.incentives import services
from huifu.incentives.models import Participation, ParticipationStatus, Project, ProjectRule
from huifu.incentives.selectors import participations_for_settlement
from huifu.outbox.models import OutboxMessage
from huifu.tracking.models import TrackedItem

from .conftest import TIERS, pdf_upload

# --- projects and rules ---------------------------------------------------------------------------


def test_service_project_needs_service_line(make_project):
    with pytest.raises(ValidationError) as exc:
        make_project(kind="service", rules=False)
    assert "service_line" in exc.value.message_dict
    assert not Project.objects.exists()


def test_period_must_be_ordered(make_project, period):
    with pytest.raises(ValidationError) as exc:
        make_project(period_start=period[1], period_end=period[0])
    assert "period_end" in exc.value.message_dict


def test_duplicate_code_refused(make_project):
    make_project(code="X")
    with pytest.raises(ValidationError) as exc:
        make_project(code="X")
    assert "code" in exc.value.message_dict


def test_functional_project_cannot_open_without_rules(make_project, coordinator):
    project = make_project(open=False, rules=False)
    with pytest.raises(services.IncentiveStateError) as exc:
        services.project_set_status(actor=coordinator, project=project, status="open")
    assert "cu" in " ".join(exc.value.messages)
    project.refresh_from_db()
    assert project.status == "draft"


def test_rule_for_uncovered_product_refused(project, coordinator, catalogue):
    with pytest.raises(ValidationError) as exc:
        services.rule_save(
            actor=coordinator,
            project=project,
            product=catalogue["al"],
            basis="volume",
            tier_mode="marginal",
            tiers=TIERS,
        )
    assert "product" in exc.value.message_dict


@translation.override("en")
def test_rule_with_overlapping_tiers_refused_nothing_saved(project, coordinator, catalogue):
    before = ProjectRule.objects.get(project=project, product=catalogue["cu"]).tiers
    with pytest.raises(ValidationError) as exc:
        services.rule_save(
            actor=coordinator,
            project=project,
            product=catalogue["cu"],
            basis="volume",
            tier_mode="marginal",
            tiers=[{"from": "0", "to": "10", "rate": "0.1"}, {"from": "5", "to": None, "rate": "0.2"}],
        )
    assert "overlaps" in " ".join(exc.value.message_dict["tiers"])
    assert ProjectRule.objects.get(project=project, product=catalogue["cu"]).tiers == before


def test_rule_negative_cap_refused(project, coordinator, catalogue):
    with pytest.raises(ValidationError) as exc:
        services.rule_save(
            actor=coordinator,
            project=project,
            product=catalogue["cu"],
            basis="fees",
            tier_mode="whole",
            tiers=TIERS,
            cap_per_member=Decimal("-1"),
        )
    assert "cap_per_member" in exc.value.message_dict


def test_rule_update_replaces_and_audits(project, coordinator, catalogue):
    n = AuditEvent.objects.count()
    services.rule_save(
        actor=coordinator,
        project=project,
        product=catalogue["cu"],
        basis="fees",
        tier_mode="whole",
        tiers=[{"from": "0", "to": None, "rate": "0.25"}],
    )
    rule = ProjectRule.objects.get(project=project, product=catalogue["cu"])
    assert rule.basis == "fees" and rule.tiers == [{"from": "0", "to": None, "rate": "0.25"}]
    assert AuditEvent.objects.count() == n + 1


def test_member_cannot_create_project(member_a_admin, period):
    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=member_a_admin,
            year=2026,
            code="Z",
            name_zh="z",
            kind="functional",
            entry_mode="apply",
            period_start=period[0],
            period_end=period[1],
        )


def test_removing_product_with_rule_refused(project, coordinator, catalogue):
    with pytest.raises(ValidationError) as exc:
        services.project_update(actor=coordinator, project=project, products=[catalogue["cu"]])
    assert "products" in exc.value.message_dict
    assert project.products.count() == 2


# --- participation flow ---------------------------------------------------------------------------


def test_submit_opens_review_deadline_and_stores_files(submitted, org_a):
    assert submitted.status == ParticipationStatus.SUBMITTED
    assert submitted.entry_mode == "apply"
    item = TrackedItem.objects.get(kind="participation_review")
    assert item.status == "open" and item.organisation == org_a and item.due_at > item.received_at
    attachment = submitted.attachments.get()
    assert attachment.file.organisation_id == org_a.pk


def test_submit_needs_covered_products_and_plan(project, member_a_admin, catalogue):
    with pytest.raises(ValidationError) as exc:
        services.participation_submit(actor=member_a_admin, project=project, plan="", products=[catalogue["al"]])
    assert set(exc.value.message_dict) == {"plan", "products"}
    assert not Participation.objects.exists()


def test_second_live_participation_refused(submitted, project, member_a_contact, catalogue):
    with pytest.raises(ValidationError):
        services.participation_submit(actor=member_a_contact, project=project, plan="again", products=[catalogue["cu"]])
    assert Participation.objects.count() == 1


def test_closed_project_refuses_applications(make_project, coordinator, member_a_admin, catalogue):
    project = make_project()
    services.project_set_status(actor=coordinator, project=project, status="closed")
    with pytest.raises(services.IncentiveStateError):
        services.participation_submit(actor=member_a_admin, project=project, plan="p", products=[catalogue["cu"]])


def test_platform_trader_only_where_allowed(project, make_project, trader_user, catalogue):
    with pytest.raises(PermissionDenied):
        services.participation_submit(actor=trader_user, project=project, plan="p", products=[catalogue["cu"]])
    open_project = make_project(code="T-F06", products=("ru",), open_to_members=False, open_to_platform_traders=True)
    p = services.participation_submit(actor=trader_user, project=open_project, plan="p", products=[catalogue["ru"]])
    assert p.status == "submitted"


def test_partner_cannot_apply(project, partner_user, catalogue):
    with pytest.raises(PermissionDenied):
        services.participation_submit(actor=partner_user, project=project, plan="p", products=[catalogue["cu"]])


def test_approve_sets_effective_period_and_mails(tracking, project):
    assert tracking.status == "tracking"
    assert tracking.joined_on == tracking.effective_from
    assert tracking.effective_to == project.period_end
    assert TrackedItem.objects.get(kind="participation_review").status == "done"
    assert OutboxMessage.objects.filter(topic="incentive_participation", to="admin@alpha.example").exists()


def test_mid_period_join_date(submitted, dept_staff, period):
    joined = period[0] + datetime.timedelta(days=60)
    p = services.participation_review(actor=dept_staff, participation=submitted, approve=True, joined_on=joined)
    assert p.effective_from == joined


def test_join_date_outside_period_refused(submitted, dept_staff, period):
    with pytest.raises(ValidationError) as exc:
        services.participation_review(
            actor=dept_staff, participation=submitted, approve=True, joined_on=period[1] + datetime.timedelta(days=1)
        )
    assert "joined_on" in exc.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.joined_on is None


def test_reject_needs_comment(submitted, dept_staff):
    with pytest.raises(ValidationError):
        services.participation_review(actor=dept_staff, participation=submitted, approve=False)
    p = services.participation_review(actor=dept_staff, participation=submitted, approve=False, comment="不符合")
    assert p.status == "rejected"
    assert p.decisions.get().comment == "不符合"


def test_member_cannot_review(submitted, member_a_admin, member_b_admin):
    for actor in (member_a_admin, member_b_admin):
        with pytest.raises(PermissionDenied):
            services.participation_review(actor=actor, participation=submitted, approve=True)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_staff_of_other_department_cannot_review(submitted, finance_user, coordinator):
    with pytest.raises(PermissionDenied):
        services.participation_review(actor=finance_user, participation=submitted, approve=True)
    services.participation_review(actor=coordinator, participation=submitted, approve=True)


def test_progress_report_with_evidence(tracking, member_a_contact, member_b_admin):
    report = services.participation_report(
        actor=member_a_contact, participation=tracking, text="进展", uploads=[pdf_upload("证明.pdf")]
    )
    assert report.attachments.get().file.original_name == "证明.pdf"
    with pytest.raises(PermissionDenied):
        services.participation_report(actor=member_b_admin, participation=tracking, text="x")


def test_report_only_while_tracking(submitted, member_a_admin):
    with pytest.raises(services.IncentiveStateError):
        services.participation_report(actor=member_a_admin, participation=submitted, text="x")


def test_return_for_work_pauses_and_resumes_deadline(in_acceptance, dept_staff, member_a_admin):
    p = services.participation_return_for_work(actor=dept_staff, participation=in_acceptance, comment="补充材料")
    item = TrackedItem.objects.get(kind="participation_acceptance")
    assert p.status == "tracking" and item.status == "paused"
    services.participation_submit_results(actor=member_a_admin, participation=p, text="补充后成果")
    item.refresh_from_db()
    assert item.status == "open"


def test_accept_full_flow_without_closing(accepted):
    assert accepted.status == "accepted" and accepted.result == "accepted"
    assert accepted.payout_ratio == Decimal("1")
    assert accepted.is_settleable
    assert list(participations_for_settlement()) == [accepted]
    assert TrackedItem.objects.get(kind="participation_acceptance").status == "done"


def test_closing_not_available_without_requirement(accepted, member_a_admin):
    with pytest.raises(services.IncentiveStateError):
        services.participation_apply_closing(actor=member_a_admin, participation=accepted, text="结项")


def test_partial_needs_ratio_and_notes(in_acceptance, dept_staff):
    with pytest.raises(ValidationError) as exc:
        services.participation_accept(actor=dept_staff, participation=in_acceptance, result="partial")
    assert {"payout_ratio", "notes"} <= set(exc.value.message_dict)
    p = services.participation_accept(
        actor=dept_staff, participation=in_acceptance, result="partial", payout_ratio=Decimal("0.5"), notes="部分"
    )
    assert p.payout_ratio == Decimal("0.5") and p.is_settleable


def test_failed_is_terminal_and_not_settleable(in_acceptance, dept_staff, member_a_admin):
    p = services.participation_accept(actor=dept_staff, participation=in_acceptance, result="failed", notes="未达标")
    assert p.status == "failed" and not p.is_settleable
    assert list(participations_for_settlement()) == []
    with pytest.raises(services.IncentiveStateError):
        services.participation_withdraw(actor=member_a_admin, participation=p, reason="x")


def test_acceptance_may_narrow_but_not_widen_period(in_acceptance, dept_staff):
    with pytest.raises(ValidationError):
        services.participation_accept(
            actor=dept_staff,
            participation=in_acceptance,
            result="accepted",
            effective_to=in_acceptance.effective_to + datetime.timedelta(days=1),
        )
    end = in_acceptance.effective_from + datetime.timedelta(days=10)
    p = services.participation_accept(
        actor=dept_staff, participation=in_acceptance, result="accepted", effective_to=end
    )
    assert p.effective_to == end


def test_service_project_award_defaults_from_project(make_project, member_a_admin, dept_staff, catalogue):
    project = make_project(
        code="T-S01",
        kind="service",
        service_line="tool_application",
        rules=False,
        products=("cu_o",),
        award_per_result=Decimal("40000"),
        requires_closing=True,
    )
    p = services.participation_submit(actor=member_a_admin, project=project, plan="p", products=[catalogue["cu_o"]])
    p = services.participation_review(actor=dept_staff, participation=p, approve=True)
    p = services.participation_submit_results(actor=member_a_admin, participation=p, text="r")
    p = services.participation_accept(
        actor=dept_staff, participation=p, result="partial", payout_ratio=Decimal("0.5"), notes="半"
    )
    assert p.award_amount == Decimal("20000.00")
    # closing: apply, return, apply again, approve
    p = services.participation_apply_closing(actor=member_a_admin, participation=p, text="结项申请")
    assert p.status == "closing_review"
    p = services.participation_closing_review(actor=dept_staff, participation=p, approve=False, comment="缺总结")
    assert p.status == "accepted"
    assert TrackedItem.objects.get(kind="participation_closing").status == "paused"
    p = services.participation_apply_closing(actor=member_a_admin, participation=p, text="补充总结")
    p = services.participation_closing_review(actor=dept_staff, participation=p, approve=True)
    assert p.status == "closed" and p.closed_at is not None and p.is_settleable
    assert TrackedItem.objects.get(kind="participation_closing").status == "done"
    stages = list(p.decisions.values_list("stage", "outcome"))
    assert stages == [
        ("review", "approved"),
        ("acceptance", "partial"),
        ("closing", "returned"),
        ("closing", "approved"),
    ]


def test_withdraw_cancels_deadline(submitted, member_a_contact):
    p = services.participation_withdraw(actor=member_a_contact, participation=submitted, reason="调整")
    assert p.status == "withdrawn"
    assert TrackedItem.objects.get(kind="participation_review").status == "cancelled"


def test_withdrawn_member_may_apply_again(submitted, member_a_admin, project, catalogue):
    services.participation_withdraw(actor=member_a_admin, participation=submitted, reason="调整")
    again = services.participation_submit(actor=member_a_admin, project=project, plan="p2", products=[catalogue["cu"]])
    assert again.pk != submitted.pk


def test_illegal_transition_refused(submitted, dept_staff):
    with pytest.raises(services.IncentiveStateError):
        services.participation_accept(actor=dept_staff, participation=submitted, result="accepted")
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.result == ""


def test_one_audit_entry_per_decision(submitted, dept_staff):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Participation)
    before = AuditEvent.objects.filter(target_type=ct, target_id=str(submitted.pk)).count()
    services.participation_review(actor=dept_staff, participation=submitted, approve=True)
    assert AuditEvent.objects.filter(target_type=ct, target_id=str(submitted.pk)).count() == before + 1
