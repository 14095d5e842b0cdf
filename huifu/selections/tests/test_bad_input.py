"""Bad input: a clear message naming the field, nothing half-saved, never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.selections import services
from huifu.selections.models import Application, PhaseKind, Score, TeamMember

from .conftest import move_to, team

pytestmark = pytest.mark.django_db


def test_application_after_the_window_refused(selection, team_category, member_a_admin, client):
    move_to(selection, PhaseKind.UPLOAD)
    with pytest.raises(ValidationError) as exc:
        services.application_create(
            actor=member_a_admin,
            category=team_category,
            kind="team",
            team_name="甲团队",
            members=team(("张伟", "Z0000001"), ("李娜", "Z0000002")),
        )
    assert exc.value.code == "phase_closed"
    assert "“申报”阶段已于" in exc.value.messages[0] and "已逾期" in exc.value.messages[0]
    login(client, member_a_admin)
    response = client.post(
        reverse("selections:apply", args=[team_category.pk]),
        {
            "team_name": "甲团队",
            "summary": "",
            "members-TOTAL_FORMS": "2",
            "members-INITIAL_FORMS": "0",
            "members-0-full_name": "张伟",
            "members-0-certificate_no": "Z0000001",
            "members-0-is_leader": "on",
            "members-1-full_name": "李娜",
            "members-1-certificate_no": "Z0000002",
        },
    )
    assert response.status_code == 400
    assert "已逾期" in response.content.decode()
    assert not Application.objects.exists()


def test_person_in_two_teams_of_one_category_refused(team_category, member_a_admin, member_b_admin, confirmed):
    confirmed(team_category, team(("张伟", "Z0000001"), ("李娜", "Z0000002")))
    with pytest.raises(ValidationError) as exc:
        services.application_create(
            actor=member_b_admin,
            category=team_category,
            kind="team",
            team_name="乙团队",
            members=team(("王芳", "Z0000003"), ("李娜", "z0000002")),
        )
    assert "李娜" in str(exc.value.message_dict["members"])
    assert Application.objects.count() == 1 and TeamMember.objects.count() == 2


def test_roster_errors_named(team_category, member_a_admin):
    with pytest.raises(ValidationError) as exc:
        services.application_create(
            actor=member_a_admin,
            category=team_category,
            kind="team",
            team_name="甲团队",
            members=[{"full_name": "张伟", "certificate_no": "12345", "is_leader": True}],
        )
    messages = " ".join(exc.value.message_dict["members"])
    assert "12345" in messages
    assert not Application.objects.exists()


def test_score_outside_the_scale_refused_nothing_saved(
    selection, team_category, manager, judge_expert, confirmed, client
):
    services.panel_member_add(actor=manager, category=team_category, user=judge_expert)
    application = confirmed(team_category, team(("张伟", "Z0000001"), ("李娜", "Z0000002")))
    move_to(selection, PhaseKind.SCORING)
    with pytest.raises(ValidationError) as exc:
        services.scores_submit(
            actor=judge_expert, application_id=application.pk, values={"research": 80, "service": 101}
        )
    assert exc.value.code == "score_out_of_scale" or "service" in exc.value.message_dict
    assert not Score.objects.exists()
    login(client, judge_expert)
    response = client.post(reverse("selections:score", args=[application.pk]), {"research": "80", "service": "-1"})
    assert response.status_code == 400 and not Score.objects.exists()
    api = client.post(
        reverse("api-selections-scores", args=[application.pk]),
        {"scores": {"research": "abc", "service": "50"}},
        content_type="application/json",
    )
    assert api.status_code == 400 and "research" in api.json()["error"]["fields"]
    assert not Score.objects.exists()


def test_scoring_a_recused_application_by_id_answers_not_found(
    selection, team_category, manager, judge_staff, org_a, confirmed, client
):
    import datetime

    services.panel_member_add(actor=manager, category=team_category, user=judge_staff)
    services.judge_employment_add(
        actor=manager, user=judge_staff, organisation=org_a, started_on=datetime.date(2020, 1, 1)
    )
    application = confirmed(team_category, team(("张伟", "Z0000001"), ("李娜", "Z0000002")))
    move_to(selection, PhaseKind.SCORING)
    with pytest.raises(Http404):
        services.scores_submit(actor=judge_staff, application_id=application.pk, values={"research": 80, "service": 80})
    login(client, judge_staff)
    missing = client.post(
        reverse("api-selections-scores", args=[999999]),
        {"scores": {"research": "1", "service": "1"}},
        content_type="application/json",
    )
    recused = client.post(
        reverse("api-selections-scores", args=[application.pk]),
        {"scores": {"research": "1", "service": "1"}},
        content_type="application/json",
    )
    assert recused.status_code == missing.status_code == 404
    assert recused.json() == missing.json()
    assert (
        client.post(reverse("selections:score", args=[application.pk]), {"research": "1", "service": "1"}).status_code
        == 404
    )
    assert not Score.objects.exists()


def test_weights_not_summing_to_100_refused(manager, selection):
    from decimal import Decimal

    from huifu.awards.services import IndicatorInput

    with pytest.raises(ValidationError) as exc:
        services.rubric_create(
            actor=manager,
            selection=selection,
            category_code="x",
            indicators=[
                IndicatorInput("a", "甲", "A", Decimal(60), source="judges"),
                IndicatorInput("b", "乙", "B", Decimal(30), source="judges"),
            ],
        )
    assert "weights" in exc.value.message_dict


def test_late_confirmation_refused(selection, team_category, member_a_admin):
    application = services.application_create(
        actor=member_a_admin,
        category=team_category,
        kind="team",
        team_name="甲团队",
        members=team(("张伟", "Z0000001"), ("李娜", "Z0000002")),
    )
    services.application_submit(actor=member_a_admin, application=application)
    move_to(selection, PhaseKind.UPLOAD)
    with pytest.raises(ValidationError) as exc:
        services.application_confirm(actor=member_a_admin, application=application)
    assert exc.value.code == "phase_closed"
    application.refresh_from_db()
    assert application.state == "submitted"
