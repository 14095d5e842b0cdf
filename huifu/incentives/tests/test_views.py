import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.incentives import services
from huifu.incentives.models import Participation

from .conftest import pdf_upload


def test_member_applies_through_the_page(client, member_a_admin, project, catalogue):
    login(client, member_a_admin)
    url = reverse("incentives:participation_apply", args=[project.pk])
    response = client.post(url, {"products": [catalogue["cu"].pk], "plan": "我们的方案", "files": [pdf_upload()]})
    participation = Participation.objects.get()
    assert response.status_code == 302 and response["Location"] == participation.get_absolute_url()
    assert participation.attachments.count() == 1
    page = client.get(participation.get_absolute_url())
    assert "我们的方案" in page.content.decode()


def test_apply_errors_next_to_fields(client, member_a_admin, project):
    login(client, member_a_admin)
    response = client.post(reverse("incentives:participation_apply", args=[project.pk]), {"plan": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"plan", "products"}
    assert not Participation.objects.exists()


def test_staff_review_and_accept_through_pages(client, dept_staff, member_a_admin, submitted):
    login(client, dept_staff)
    r = client.post(
        reverse("incentives:participation_review", args=[submitted.pk]),
        {"review-decision": "approve", "review-comment": "好"},
    )
    assert r.status_code == 302
    services.participation_submit_results(actor=member_a_admin, participation=Participation.objects.get(), text="成果")
    r = client.post(
        reverse("incentives:participation_accept", args=[submitted.pk]),
        {"acceptance-result": "accepted", "acceptance-notes": "通过"},
    )
    assert r.status_code == 302
    assert Participation.objects.get().status == "accepted"


def test_partial_without_ratio_shows_error(client, dept_staff, in_acceptance):
    login(client, dept_staff)
    r = client.post(
        reverse("incentives:participation_accept", args=[in_acceptance.pk]), {"acceptance-result": "partial"}
    )
    assert r.status_code == 400
    assert "payout_ratio" in r.context["acceptance_form"].errors
    in_acceptance.refresh_from_db()
    assert in_acceptance.status == "acceptance_review"


def test_illegal_state_action_shows_message_not_500(client, member_a_admin, submitted):
    login(client, member_a_admin)
    r = client.post(reverse("incentives:participation_results", args=[submitted.pk]), {"results-text": "x"})
    assert r.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_rule_form_rejects_bad_tiers(client, coordinator, project, catalogue):
    login(client, coordinator)
    r = client.post(
        reverse("incentives:rule_add", args=[project.pk]),
        {
            "product": catalogue["cu"].pk,
            "basis": "volume",
            "tier_mode": "marginal",
            "tiers": '[{"from": "0", "rate": "2"}]',
        },
    )
    assert r.status_code == 200 and "tiers" in r.context["form"].errors
    r = client.post(
        reverse("incentives:rule_add", args=[project.pk]),
        {"product": catalogue["cu"].pk, "basis": "volume", "tier_mode": "marginal", "tiers": "not json"},
    )
    assert "tiers" in r.context["form"].errors


def test_project_create_page(client, coordinator, catalogue, dept_business):
    login(client, coordinator)
    r = client.post(
        reverse("incentives:project_create"),
        {
            "year": 2026,
            "code": "N-1",
            "name_zh": "新项目",
            "kind": "service",
            "service_line": "",
            "entry_mode": "file",
            "open_to_members": "on",
            "review_working_days": 10,
            "acceptance_working_days": 15,
            "closing_working_days": 10,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "products": [catalogue["cu"].pk],
        },
    )
    assert r.status_code == 200 and "service_line" in r.context["form"].errors


def _grow_participations(project, catalogue, n=3):
    from huifu.core.testing.factories import OrganisationFactory, org_user

    for _ in range(n):
        org = OrganisationFactory()
        services.participation_submit(
            actor=org_user(org), project=project, plan="p", products=[catalogue["cu"], catalogue["cu_o"]]
        )


def test_participation_list_constant_queries(client, coordinator, project, catalogue):
    _grow_participations(project, catalogue, 1)
    login(client, coordinator)
    assert_constant_queries(
        client, reverse("incentives:participation_list"), lambda: _grow_participations(project, catalogue)
    )


def test_project_list_constant_queries(client, member_a_admin, make_project):
    make_project(code="Q0")
    login(client, member_a_admin)
    counter = iter(range(1, 100))
    assert_constant_queries(
        client, reverse("incentives:project_list"), lambda: [make_project(code=f"Q{next(counter)}") for _ in range(3)]
    )


def test_member_list_shows_own_only(client, member_b_admin, submitted):
    login(client, member_b_admin)
    r = client.get(reverse("incentives:participation_list"))
    assert list(r.context["page"].object_list) == []


def test_dashboard_renders_svg(client, coordinator, submitted):
    login(client, coordinator)
    r = client.get(reverse("incentives:dashboard") + f"?year={submitted.project.year}")
    body = r.content.decode()
    assert r.status_code == 200 and "<svg" in body and "cu_o" in body


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_detail_page_renders_in_both_languages(client, coordinator, accepted, lang):
    login(client, coordinator)
    r = client.get(accepted.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 200
