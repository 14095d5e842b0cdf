"""Permission matrix: every page and endpoint × persona, allowed and denied; denied writes change nothing."""

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.incentives.models import Participation, Project

READERS = {"member_a", "member_a_contact", "member_b", "trader", "regulator", "dept_staff", "finance", "coordinator"}
STAFF = {"dept_staff", "finance", "coordinator"}
MEMBERS = {"member_a", "member_a_contact", "member_b", "trader"}


@pytest.mark.parametrize(
    "persona",
    [
        "member_a",
        "member_a_contact",
        "member_b",
        "trader",
        "partner",
        "regulator",
        "public",
        "dept_staff",
        "finance",
        "coordinator",
    ],
)
def test_list_pages(client, personas, persona, submitted):
    user = personas[persona]
    pages = {
        reverse("incentives:project_list"): READERS,
        reverse("incentives:project_detail", args=[submitted.project_id]): READERS,
        reverse("incentives:participation_list"): STAFF | MEMBERS,
        reverse("incentives:dashboard"): STAFF,
        reverse("incentives:project_create"): {"coordinator"},
        reverse("incentives:project_edit", args=[submitted.project_id]): {"dept_staff", "coordinator"},
        reverse("incentives:participation_detail", args=[submitted.pk]): STAFF | {"member_a", "member_a_contact"},
        reverse("incentives:participation_apply", args=[submitted.project_id]): {
            "member_a",
            "member_a_contact",
            "member_b",
        },
    }
    for url, allowed in pages.items():
        if persona in allowed:
            assert_allowed(client, user, url)
        else:
            assert_denied(client, user, url)


def test_anonymous_redirected(client, submitted):
    for url in (
        reverse("incentives:project_list"),
        reverse("incentives:participation_detail", args=[submitted.pk]),
        reverse("incentives:dashboard"),
    ):
        assert_denied(client, None, url)


def test_other_member_gets_404_not_403(client, personas, submitted):
    assert_denied(
        client, personas["member_b"], reverse("incentives:participation_detail", args=[submitted.pk]), codes=(404,)
    )
    assert_denied(client, personas["member_b"], f"/api/v1/incentives/participations/{submitted.pk}/", codes=(404,))


def test_draft_project_hidden_from_members(client, personas, make_project):
    draft = make_project(code="T-D", open=False)
    assert_denied(client, personas["member_a"], reverse("incentives:project_detail", args=[draft.pk]), codes=(404,))
    assert_allowed(client, personas["coordinator"], reverse("incentives:project_detail", args=[draft.pk]))


@pytest.mark.parametrize("persona", ["member_a", "member_b", "finance", "regulator", "partner"])
def test_denied_review_changes_nothing(client, personas, persona, submitted):
    url = reverse("incentives:participation_review", args=[submitted.pk])
    assert_denied(client, personas[persona], url, method="post", data={"review-decision": "approve"})
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and not submitted.decisions.exists()


@pytest.mark.parametrize("persona", ["member_b", "dept_staff", "coordinator", "regulator"])
def test_denied_report_and_withdraw_change_nothing(client, personas, persona, tracking):
    for name, data in (
        ("participation_report", {"report-text": "x"}),
        ("participation_withdraw", {"withdraw-reason": "x"}),
        ("participation_results", {"results-text": "x"}),
    ):
        assert_denied(
            client, personas[persona], reverse(f"incentives:{name}", args=[tracking.pk]), method="post", data=data
        )
    tracking.refresh_from_db()
    assert tracking.status == "tracking" and not tracking.reports.exists()


@pytest.mark.parametrize("persona", ["member_a", "dept_staff", "finance", "regulator", "public"])
def test_denied_project_create_changes_nothing(client, personas, persona, project):
    n = Project.objects.count()
    assert_denied(client, personas[persona], reverse("incentives:project_create"), method="post", data={"code": "Z"})
    assert Project.objects.count() == n


@pytest.mark.parametrize("persona", ["partner", "regulator", "public", "dept_staff", "member_b"])
def test_denied_api_submit_changes_nothing(client, personas, persona, make_project, catalogue):
    project = make_project(code="T-API", open_to_members=False, open_to_platform_traders=True, products=("ru",))
    assert_denied(
        client,
        personas[persona],
        "/api/v1/incentives/participations/",
        method="post",
        data={"project": project.pk, "plan": "p", "products": ["ru"]},
        content_type="application/json",
    )
    assert not Participation.objects.exists()


def test_api_matrix(client, personas, submitted):
    for persona, user in personas.items():
        for url, allowed in (
            ("/api/v1/incentives/projects/", READERS),
            (f"/api/v1/incentives/projects/{submitted.project_id}/", READERS),
            ("/api/v1/incentives/participations/", STAFF | MEMBERS),
            (f"/api/v1/incentives/participations/{submitted.pk}/", STAFF | {"member_a", "member_a_contact"}),
        ):
            if persona in allowed:
                assert_allowed(client, user, url)
            else:
                assert_denied(client, user, url)
    assert_denied(client, None, "/api/v1/incentives/projects/")


def test_participation_files_isolated(client, personas, submitted):
    url = reverse("files:download", args=[submitted.attachments.get().file_id])
    for persona in ("member_a", "member_a_contact", "dept_staff", "coordinator"):
        assert_allowed(client, personas[persona], url)
    for persona in ("member_b", "trader", "partner", "regulator", "public"):
        assert_denied(client, personas[persona], url, codes=(404,))
