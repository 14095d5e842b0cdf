"""Permissions both ways, company isolation, members' scores only after publication, and
constant query counts on the lists as rows grow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.selections import services
from huifu.selections.models import PhaseKind

from .conftest import move_to, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_a(team_category, confirmed):
    return confirmed(team_category, team(("张伟", "Z0000001"), ("李娜", "Z0000002")), team_name="甲研究团队")


def test_company_sees_own_application_only(app_a, member_a_contact, member_b_admin, client):
    url = reverse("selections:application", args=[app_a.pk])
    login(client, member_a_contact)
    assert client.get(url).status_code == 200
    assert client.get(reverse("api-selections-detail", args=[app_a.pk])).status_code == 200
    login(client, member_b_admin)
    assert client.get(url).status_code == 404
    assert client.get(reverse("api-selections-detail", args=[app_a.pk])).status_code == 404
    assert "甲研究团队" not in client.get(reverse("api-selections-list")).content.decode()
    assert "甲研究团队" not in client.get(reverse("selections:index")).content.decode()


def test_only_the_company_admin_confirms(team_category, member_a_admin, member_a_contact, client):
    application = services.application_create(
        actor=member_a_contact,
        category=team_category,
        kind="team",
        team_name="甲团队",
        members=team(("张伟", "Z0000001"), ("李娜", "Z0000002")),
    )
    services.application_submit(actor=member_a_contact, application=application)
    login(client, member_a_contact)
    assert client.post(reverse("selections:application_confirm", args=[application.pk])).status_code == 403
    application.refresh_from_db()
    assert application.state == "submitted"
    login(client, member_a_admin)
    assert client.post(reverse("selections:application_confirm", args=[application.pk])).status_code == 302
    application.refresh_from_db()
    assert application.state == "confirmed" and application.confirmed_by == member_a_admin


def test_judge_of_another_category_sees_nothing(app_a, make_category, manager, judge_expert, client):
    other = make_category("energy")
    services.panel_member_add(actor=manager, category=other, user=judge_expert)
    login(client, judge_expert)
    assert client.get(reverse("selections:application", args=[app_a.pk])).status_code == 404
    assert client.get(reverse("api-selections-list")).json()["results"] == []


def test_manager_pages_denied_to_others(app_a, selection, team_category, manager, judge_staff, member_a_admin, client):
    urls = [
        reverse("selections:manage", args=[selection.year]),
        reverse("selections:category", args=[team_category.pk]),
        reverse("selections:export", args=[team_category.pk]),
    ]
    login(client, manager)
    for url in urls:
        assert client.get(url).status_code == 200, url
    for user in (judge_staff, member_a_admin):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("selections:compute", args=[team_category.pk])).status_code == 404


def test_a_manager_cannot_judge(manager, team_category):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.panel_member_add(actor=manager, category=team_category, user=manager)
    assert "user" in exc.value.message_dict


def test_company_user_cannot_judge(manager, team_category, member_a_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.panel_member_add(actor=manager, category=team_category, user=member_a_admin)


def test_member_reads_its_score_only_after_publication(
    app_a, selection, team_category, manager, judge_expert, member_a_admin, client
):
    services.panel_member_add(actor=manager, category=team_category, user=judge_expert)
    move_to(selection, PhaseKind.SCORING)
    services.scores_submit(actor=judge_expert, application_id=app_a.pk, values={"research": "88.5", "service": "90"})
    move_to(selection, PhaseKind.REVIEW)
    team_category.quota_rounding = "ceil"
    team_category.save()
    run = services.results_compute(actor=manager, category=team_category)
    login(client, member_a_admin)
    url = reverse("api-selections-detail", args=[app_a.pk])
    assert client.get(url).json()["result"] is None
    assert 'data-testid="result"' not in client.get(reverse("selections:application", args=[app_a.pk])).content.decode()
    services.results_review(actor=manager, run=run)
    move_to(selection, PhaseKind.PUBLICATION)
    services.results_publish(actor=manager, run=run)
    result = client.get(url).json()["result"]
    assert result["winner"] is True and result["judges_raw"] == "89.250"
    page = client.get(reverse("selections:application", args=[app_a.pk])).content.decode()
    assert 'data-testid="result"' in page and 'data-testid="certificate"' in page


def test_lists_keep_constant_queries(
    selection, team_category, manager, judge_expert, member_a_admin, confirmed, client
):
    services.panel_member_add(actor=manager, category=team_category, user=judge_expert)
    counter = iter(range(10, 99))

    def grow():
        for _ in range(3):
            n = next(counter)
            confirmed(team_category, team((f"甲{n}", f"Z00000{n}"), (f"乙{n}", f"Z10000{n}")), team_name=f"团队{n}")

    grow()
    for user, url in (
        (judge_expert, reverse("selections:judging")),
        (judge_expert, reverse("api-selections-list")),
        (member_a_admin, reverse("selections:index")),
        (member_a_admin, reverse("api-selections-list")),
        (manager, reverse("selections:category", args=[team_category.pk])),
    ):
        login(client, user)
        assert_constant_queries(client, url, grow)


def test_home_card_counts_only_what_the_judge_may_score(
    selection, team_category, manager, judge_staff, judge_expert, org_b, member_b_admin, confirmed, client
):
    import datetime

    from django.utils import timezone

    services.panel_member_add(actor=manager, category=team_category, user=judge_staff)
    services.panel_member_add(actor=manager, category=team_category, user=judge_expert)
    services.judge_employment_add(
        actor=manager,
        user=judge_staff,
        organisation=org_b,
        started_on=datetime.date(2019, 1, 1),
        ended_on=timezone.localdate(),
    )
    confirmed(team_category, team(("张伟", "Z0000001"), ("李娜", "Z0000002")))
    confirmed(team_category, team(("王芳", "Z0000003"), ("刘洋", "Z0000004")), admin=member_b_admin, team_name="乙团队")
    from huifu.selections.home_cards import selection_card

    staff_rows = {str(r.label): r.count for r in selection_card(judge_staff).rows}
    expert_rows = {str(r.label): r.count for r in selection_card(judge_expert).rows}
    assert list(staff_rows.values()) == [1] and list(expert_rows.values()) == [2]
    assert selection_card(manager) is None


def test_manager_creates_a_selection_and_a_category_on_the_pages(manager, dept_mm, member_a_admin, client):
    from huifu.selections.models import Category, Selection

    from .conftest import bonus, rubric, windows

    data = {"year": "2024", "title": "2024年度优秀分析师（团队）评选", "conflict_years": "3"}
    for kind, (opens, closes) in windows(PhaseKind.APPLICATION).items():
        data[f"{kind}_opens"] = opens.strftime("%Y-%m-%dT%H:%M")
        data[f"{kind}_closes"] = closes.strftime("%Y-%m-%dT%H:%M")
    bad = dict(data, scoring_closes=data["scoring_opens"])
    login(client, member_a_admin)
    assert client.post(reverse("selections:create"), data).status_code == 403
    login(client, manager)
    response = client.post(reverse("selections:create"), bad)
    assert response.status_code == 400 and "截止时间须晚于开始时间" in response.content.decode()
    assert not Selection.objects.exists()
    assert client.post(reverse("selections:create"), data).status_code == 302
    selection = Selection.objects.get(year=2024)
    scheme = services.rubric_create(
        actor=manager, selection=selection, category_code="team", indicators=rubric(), bonus_items=bonus()
    )
    category_data = {
        "code": "other",
        "name_zh": "优秀分析师团队",
        "applicant_kind": "team",
        "scheme": str(scheme.pk),
        "normalise_min_scores": "5",
        "quota_threshold": "30",
        "quota_percent": "30",
        "quota_max": "10",
        "quota_rounding": "floor",
        "bonus_points_per_unit": "1",
        "max_team_size": "8",
    }
    url = reverse("selections:category_create", args=[2024])
    response = client.post(url, category_data)
    assert response.status_code == 400 and "team" in response.content.decode()  # the scheme is another category's
    assert client.post(url, dict(category_data, code="team")).status_code == 302
    assert Category.objects.get(selection=selection).scheme == scheme
