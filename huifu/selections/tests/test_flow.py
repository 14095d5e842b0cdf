"""The whole selection through its services: apply, confirm, conflicts, score, compute, review,
publish (pinyin order, handed to the awards commendation layer), revoke with history."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from huifu.audit.models import AuditEvent
from huifu.awards.models import Winner, WinnerState
from huifu.selections import services
from huifu.selections.models import (
    Award,
    AwardState,
    Conflict,
    PhaseKind,
)

from .conftest import move_to, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(
    manager, selection, team_category, judge_staff, judge_expert, judge_chair, confirmed, member_b_admin, org_a, org_b
):
    """Three team applications (A, B, B), three judges; the staff judge once worked for B."""
    services.panel_member_add(actor=manager, category=team_category, user=judge_chair, role="chair")
    services.panel_member_add(actor=manager, category=team_category, user=judge_staff)
    services.panel_member_add(actor=manager, category=team_category, user=judge_expert)
    services.judge_employment_add(
        actor=manager,
        user=judge_staff,
        organisation=org_b,
        started_on=datetime.date(2015, 1, 1),
        ended_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    a = confirmed(team_category, team(("张伟", "Z0000001"), ("李娜", "Z0000002")), team_name="甲研究团队")
    b1 = confirmed(
        team_category, team(("王芳", "Z0000003"), ("刘洋", "Z0000004")), admin=member_b_admin, team_name="乙能化团队"
    )
    b2 = confirmed(
        team_category, team(("陈静", "Z0000005"), ("杨帆", "Z0000006")), admin=member_b_admin, team_name="乙黑色团队"
    )
    move_to(selection, PhaseKind.SCORING)
    for judge, values in (
        (judge_chair, {a: (90, 85), b1: (80, 80), b2: (70, 75)}),
        (judge_expert, {a: (88, 90), b1: (85, 82), b2: (60, 65)}),
        (judge_staff, {a: (70, 70)}),
    ):
        for application, (research, service) in values.items():
            services.scores_submit(
                actor=judge, application_id=application.pk, values={"research": research, "service": service}
            )
    return a, b1, b2


def test_staff_judge_recused_from_former_employer_applications(scored, judge_staff):
    a, b1, b2 = scored
    recused = set(Conflict.objects.filter(panel_member__user=judge_staff).values_list("application_id", flat=True))
    assert recused == {b1.pk, b2.pk}
    with pytest.raises(Http404):
        services.scores_submit(actor=judge_staff, application_id=b1.pk, values={"research": 50, "service": 50})


def test_results_publish_and_revoke(scored, manager, selection, team_category, member_a_admin):
    a, b1, b2 = scored
    move_to(selection, PhaseKind.REVIEW)
    run = services.results_compute(actor=manager, category=team_category)
    assert run.applicants == 3 and run.quota == 0  # 3 × 30 % = 0.9, rounded down
    assert run.method["quota"].startswith("3 < 30")
    assert not run.rows.filter(winner=True).exists()


def test_publish_in_pinyin_order(scored, manager, selection, team_category):
    a, b1, b2 = scored
    team_category.quota_rounding = "ceil"
    team_category.save()
    move_to(selection, PhaseKind.REVIEW)
    run = services.results_compute(actor=manager, category=team_category)
    assert run.quota == 1
    services.results_review(actor=manager, run=run)
    move_to(selection, PhaseKind.PUBLICATION)
    awards = services.results_publish(actor=manager, run=run)
    assert [aw.application_id for aw in awards] == [a.pk]
    winner = Winner.objects.get(pk=awards[0].commendation_ref)
    assert winner.name_zh == "甲研究团队" and winner.members == ["张伟", "李娜"]
    revoked = services.award_revoke(actor=manager, award=awards[0], reason="2024年受到监管处罚")
    assert revoked.state == AwardState.REVOKED
    winner.refresh_from_db()
    assert winner.state == WinnerState.REVOKED
    assert Award.objects.filter(pk=revoked.pk).exists()
    assert AuditEvent.objects.filter(target_id=str(revoked.pk), message__contains="监管处罚").exists()
