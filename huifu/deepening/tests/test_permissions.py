"""Permission matrix: every page and endpoint × every persona, allowed and denied both
asserted; a denied write changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.deepening.models import PlanStatus, SupervisionNote

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "public_user",
    "partner_user",
    "member_a_admin",
    "member_a_contact",
    "member_b_admin",
    "regulator",
    "dept_staff",
    "coordinator",
]


@pytest.fixture
def plan(make_plan, ent_shanghai):
    """Member A's submitted plan with a Shanghai enterprise (the regulator persona's region)."""
    return make_plan(enterprises=[ent_shanghai], submit=True)


def _user(request, persona):
    return None if persona == "anonymous" else request.getfixturevalue(persona)


PAGES = {
    # url builder -> personas allowed (everyone else denied: anonymous -> login, others 403/404)
    "list": (
        lambda p: reverse("deepening:plan_list"),
        {"member_a_admin", "member_a_contact", "member_b_admin", "regulator", "dept_staff", "coordinator"},
    ),
    "profiles": (
        lambda p: reverse("deepening:profile_list"),
        {"member_a_admin", "member_a_contact", "member_b_admin", "regulator", "dept_staff", "coordinator"},
    ),
    "create": (lambda p: reverse("deepening:plan_create"), {"member_a_admin", "member_a_contact", "member_b_admin"}),
    "detail": (
        lambda p: p.get_absolute_url(),
        {"member_a_admin", "member_a_contact", "regulator", "dept_staff", "coordinator"},
    ),
    "pdf": (
        lambda p: reverse("deepening:plan_pdf", args=[p.pk]),
        {"member_a_admin", "member_a_contact", "regulator", "dept_staff", "coordinator"},
    ),
    "export": (
        lambda p: reverse("deepening:plans_export", args=[p.year]),
        {"member_a_admin", "member_a_contact", "member_b_admin", "regulator", "dept_staff", "coordinator"},
    ),
    "api_list": (
        lambda p: reverse("api-deepening-plan-list"),
        {"member_a_admin", "member_a_contact", "member_b_admin", "regulator", "dept_staff", "coordinator"},
    ),
    "api_detail": (
        lambda p: reverse("api-deepening-plan-detail", args=[p.pk]),
        {"member_a_admin", "member_a_contact", "regulator", "dept_staff", "coordinator"},
    ),
    "api_notes": (
        lambda p: reverse("api-deepening-plan-notes", args=[p.pk]),
        {"regulator", "dept_staff", "coordinator"},
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_matrix(request, client, plan, persona, page):
    build, allowed = PAGES[page]
    url = build(plan)
    user = _user(request, persona)
    if persona in allowed:
        assert_allowed(client, user, url)
    else:
        assert_denied(client, user, url)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "coordinator"])
def test_review_refused_to_everyone_but_the_coordinator(request, client, plan, persona):
    user = _user(request, persona)
    for name, data in (("deepening:plan_return", {"comment": "x"}), ("deepening:plan_reject", {"reason": "x"})):
        assert_denied(client, user, reverse(name, args=[plan.pk]), method="post", data=data)
    assert_denied(
        client,
        user,
        reverse("api-deepening-plan-action", args=[plan.pk, "reject"]),
        method="post",
        data={"reason": "x"},
        content_type="application/json",
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_coordinator_may_review(client, plan, coordinator):
    assert_allowed(
        client,
        coordinator,
        reverse("deepening:plan_return", args=[plan.pk]),
        method="post",
        data={"comment": "请修改"},
        ok=(302,),
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "regulator"])
def test_supervision_note_only_by_the_regulator(request, client, plan, persona):
    user = _user(request, persona)
    assert_denied(client, user, reverse("deepening:note_add", args=[plan.pk]), method="post", data={"body": "x"})
    assert not SupervisionNote.objects.exists()


def test_regulator_may_note_through_the_api(client, plan, regulator):
    response = assert_allowed(
        client,
        regulator,
        reverse("api-deepening-plan-notes", args=[plan.pk]),
        method="post",
        data={"body": "按季度报送"},
        content_type="application/json",
        ok=(201,),
    )
    assert response.json()["bureau"] == regulator.organisation.name_zh


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("member_a_admin",)])
def test_submit_only_by_the_members_admin(request, client, make_plan, ent_shanghai, persona):
    draft = make_plan(enterprises=[ent_shanghai])
    user = _user(request, persona)
    assert_denied(client, user, reverse("deepening:plan_submit", args=[draft.pk]), method="post")
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


@pytest.mark.parametrize("persona", PERSONAS)
def test_rules(request, persona, plan):
    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    expected = {
        "deepening.change_plan": {"member_a_admin", "member_a_contact"},
        "deepening.submit_plan": {"member_a_admin"},
        "deepening.review_plan": {"coordinator"},
        "deepening.close_plan": {"coordinator"},
        "deepening.add_supervision_note": {"regulator"},
        "deepening.view_plan": {"member_a_admin", "member_a_contact", "regulator", "dept_staff", "coordinator"},
    }
    for perm, holders in expected.items():
        assert user.has_perm(perm, plan) is (persona in holders), perm
