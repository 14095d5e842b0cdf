"""Pages, downloads and API: isolation between companies, permissions both ways, constant
queries, the statement PDF (embedded font, the Chinese name) and Excel."""

import datetime
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied, fetch
from huifu.core.testing.factories import org_user
from huifu.core.testing.pdfs import assert_pdf_embeds_its_font
from huifu.credits import services
from huifu.credits.models import ClaimState, ExternalClaim

from .helpers import attend_on_site, attend_online, category, evidence, grant, session

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def hours_a(coordinator, practitioner_a):
    sess = session(TODAY - datetime.timedelta(days=1), title="期货法律法规专题培训")
    grant(coordinator, sess, law="3", professional="1")
    attend_on_site(sess, practitioner_a)
    return sess


@pytest.fixture
def claim_b(practitioner_b):
    return services.claim_submit(
        actor=practitioner_b,
        provider="浙江期货业协会",
        course_title="乙公司外部课程",
        completed_on=TODAY,
        category=category("professional"),
        hours="2",
        evidence=evidence(),
    )


def test_practitioner_sees_own_hours_not_anothers(client, hours_a, practitioner_a, practitioner_b):
    page = assert_allowed(client, practitioner_a, reverse("credits:home"))
    text = page.content.decode()
    assert "期货法律法规专题培训" in text and "法律法规与职业道德" in text
    assert_denied(client, practitioner_a, reverse("credits:person", args=[practitioner_b.pk]))
    assert_denied(client, practitioner_b, reverse("credits:statement_pdf", args=[practitioner_a.pk]))
    assert_denied(client, practitioner_b, reverse("credits:statement_xlsx", args=[practitioner_a.pk]))
    assert_denied(client, None, reverse("credits:home"))


def test_member_admin_sees_own_company_only(client, hours_a, claim_b, member_a_admin, practitioner_a, practitioner_b):
    page = assert_allowed(client, member_a_admin, reverse("credits:company"))
    text = page.content.decode()
    assert "张晓明" in text and "李文华" not in text
    assert_allowed(client, member_a_admin, reverse("credits:person", args=[practitioner_a.pk]))
    assert_denied(client, member_a_admin, reverse("credits:person", args=[practitioner_b.pk]))
    assert_denied(client, member_a_admin, reverse("credits:claim", args=[claim_b.pk]))
    decisions = assert_allowed(client, member_a_admin, reverse("credits:decisions")).content.decode()
    assert "乙公司外部课程" not in decisions
    export = assert_allowed(client, member_a_admin, reverse("credits:company_xlsx"))
    cells = [c for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True) for c in row]
    assert "张晓明" in cells and "李文华" not in cells
    # the staff-only filter does not widen a member admin's view
    text = fetch(client, member_a_admin, reverse("credits:company") + f"?organisation={practitioner_b.organisation_id}")
    assert "李文华" not in text.content.decode()


def test_a_contact_is_not_an_overview_reader(client, member_a_contact):
    assert_denied(client, member_a_contact, reverse("credits:company"))
    assert_denied(client, member_a_contact, reverse("credits:decisions"))
    assert_denied(client, member_a_contact, reverse("credits:rules"))


def test_staff_see_all_and_managers_edit(client, coordinator, dept_staff, hours_a, claim_b, member_a_admin):
    text = assert_allowed(client, dept_staff, reverse("credits:company")).content.decode()
    assert "张晓明" in text and "李文华" in text
    assert_denied(client, dept_staff, reverse("credits:rules"))
    assert_denied(client, member_a_admin, reverse("credits:sessions"))
    assert_allowed(client, coordinator, reverse("credits:rules"))
    assert_allowed(client, coordinator, reverse("credits:sessions"))
    assert_allowed(client, coordinator, reverse("credits:session_hours", args=[hours_a.pk]))


def test_statement_pdf_opens_and_names_the_practitioner(client, hours_a, practitioner_a):
    response = assert_allowed(client, practitioner_a, reverse("credits:statement_pdf", args=[practitioner_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert_pdf_embeds_its_font(response.content)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout  # noqa: S603, S607
    assert "张晓明" in text and "期货法律法规专题培训" in text and "甲期货有限公司" in text


def test_statement_xlsx(client, hours_a, practitioner_a):
    response = assert_allowed(client, practitioner_a, reverse("credits:statement_xlsx", args=[practitioner_a.pk]))
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert any("张晓明" in str(c) for c in cells) and "期货法律法规专题培训" in cells


def test_claim_form_errors_keep_the_file_and_save_nothing(client, practitioner_a):
    url = reverse("credits:claim_create")
    data = {
        "provider": "中国期货业协会",
        "course_title": "网络课程",
        "completed_on": TODAY.isoformat(),
        "category": category("law_ethics").pk,
        "hours": "abc",
        "evidence": evidence(),
    }
    response = fetch(client, practitioner_a, url, "post", data)
    assert response.status_code == 200 and not ExternalClaim.objects.exists()
    assert "evidence__kept" in response.content.decode()
    data["hours"] = "2"
    data["evidence"] = evidence()
    response = fetch(client, practitioner_a, url, "post", data)
    assert response.status_code == 302
    data["evidence"] = evidence()
    again = fetch(client, practitioner_a, url, "post", data)
    assert again.status_code == 200 and "已" in again.content.decode() or "already" in again.content.decode()
    assert ExternalClaim.objects.count() == 1


def test_decision_page_both_ways(client, practitioner_a, member_a_admin, member_b_admin):
    entered = services.claim_submit(
        actor=practitioner_a,
        provider="中国期货业协会",
        course_title="职业道德课程",
        completed_on=TODAY,
        category=category("law_ethics"),
        hours="3",
        evidence=evidence(),
    )
    url = reverse("credits:claim", args=[entered.pk])
    assert_denied(client, member_b_admin, url, "post", {"decision": "approve"})
    own = fetch(client, practitioner_a, url, "post", {"decision": "approve"})
    assert own.status_code == 403
    refused = fetch(client, member_a_admin, url, "post", {"decision": "refuse", "reason": ""})
    assert refused.status_code == 200
    assert ExternalClaim.objects.get().state == ClaimState.SUBMITTED
    fetch(client, member_a_admin, url, "post", {"decision": "approve"})
    assert ExternalClaim.objects.get().state == ClaimState.APPROVED


def test_company_list_constant_queries(client, coordinator, member_a_admin, org_a):
    sess = session(TODAY - datetime.timedelta(days=2), title="线上培训", mode="online")
    grant(coordinator, sess, professional="3", online_mode="pro_rata")
    counter = iter(range(100))

    def grow():
        for _ in range(3):
            n = next(counter)
            person = org_user(org_a, email=f"p{n}@alpha.example", full_name=f"从业人员{n}")
            attend_online(sess, person, minutes=150)
            other = session(TODAY - datetime.timedelta(days=3 + n), title=f"现场培训{n}")
            grant(coordinator, other, law="1")
            attend_on_site(other, person)

    grow()
    fetch(client, member_a_admin, reverse("credits:home"))
    assert_constant_queries(client, reverse("credits:company"), grow)


def test_api_scoped_and_claim_errors(client, hours_a, claim_b, practitioner_a, member_a_admin, practitioner_b):
    me = assert_allowed(client, practitioner_a, "/api/v1/credits/me/").json()
    assert me["total"] == "4.0" and me["categories"][0]["code"] == "law_ethics"
    people = assert_allowed(client, member_a_admin, "/api/v1/credits/people/").json()
    names = [row["name"] for row in people["results"]]
    assert "张晓明" in names and "李文华" not in names
    assert_denied(client, member_a_admin, f"/api/v1/credits/people/{practitioner_b.pk}/", codes=(404,))
    claims = assert_allowed(client, member_a_admin, "/api/v1/credits/claims/").json()
    assert claims["results"] == []
    assert_denied(
        client,
        member_a_admin,
        f"/api/v1/credits/claims/{claim_b.pk}/decision/",
        "post",
        {"approve": True},
        codes=(404,),
        content_type="application/json",
    )
    assert_denied(client, practitioner_a, "/api/v1/credits/people/", codes=(403,))
    bad = fetch(
        client,
        practitioner_b,
        "/api/v1/credits/claims/",
        "post",
        {
            "provider": "浙江期货业协会",
            "course_title": "乙公司外部课程",
            "completed_on": TODAY.isoformat(),
            "category": "professional",
            "hours": "2",
            "evidence": evidence(),
        },
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "duplicate"
    assert ExternalClaim.objects.count() == 1


def test_decisions_and_sessions_lists_constant_queries(client, coordinator, org_a):
    counter = iter(range(100))

    def grow():
        for _ in range(3):
            n = next(counter)
            person = org_user(org_a, email=f"c{n}@alpha.example", full_name=f"申报人{n}")
            services.claim_submit(
                actor=person,
                provider="中国期货业协会",
                course_title=f"课程{n}",
                completed_on=TODAY,
                category=category("professional"),
                hours="1",
                evidence=evidence(),
            )
            sess = session(TODAY - datetime.timedelta(days=n + 1), title=f"培训{n}")
            grant(coordinator, sess, law="1", professional="2")

    grow()
    fetch(client, coordinator, reverse("credits:home"))
    assert_constant_queries(client, reverse("credits:decisions"), grow)
    assert_constant_queries(client, reverse("credits:sessions"), grow)


def test_home_card_says_what_is_missing(client, hours_a, practitioner_a, member_a_admin):
    from huifu.credits.home_cards import credits_card

    card = credits_card(practitioner_a)
    assert card.rows[0].count == "14.0" and card.rows[0].deadline.year >= TODAY.year
    admin_card = credits_card(member_a_admin)
    labels = [str(r.label) for r in admin_card.rows]
    assert "Colleagues short of hours" in labels or "学时不足的同事" in labels
    home = assert_allowed(client, practitioner_a, reverse("core:home")).content.decode()
    assert "学时" in home


def test_home_card_of_an_events_manager_speaks_of_decisions_not_own_hours(coordinator):
    from django.utils import translation

    from huifu.credits.home_cards import credits_card

    card = credits_card(coordinator)
    assert card is not None and all(row.count == 0 for row in card.rows)
    with translation.override("zh-hans"):
        assert str(card.empty_text) == "暂无待处理的学时申报或延期申请。"
        assert "已达标" not in str(card.empty_text)


def test_deferral_page_flow(client, practitioner_a, member_a_admin, member_b_admin):
    url = reverse("credits:deferral_create")
    window = services.current_window(practitioner_a)
    response = fetch(
        client, practitioner_a, url, "post", {"window_start": window.key, "reason": "", "evidence": evidence()}
    )
    assert response.status_code == 200 and "deferral" not in response.get("Location", "")
    response = fetch(
        client,
        practitioner_a,
        url,
        "post",
        {"window_start": window.key, "reason": "派驻香港子公司一年", "evidence": evidence()},
    )
    assert response.status_code == 302
    detail = response["Location"]
    assert_denied(client, member_b_admin, detail)
    fetch(client, member_a_admin, detail, "post", {"decision": "approve"})
    assert services.current_window(practitioner_a).deferred


def test_api_rules_and_deferrals_scoped(client, practitioner_a, practitioner_b, member_a_admin, partner_user):
    services.deferral_request(
        actor=practitioner_b,
        window_start=services.current_window(practitioner_b).start,
        reason="长期病假",
        evidence=evidence(),
    )
    rules = assert_allowed(client, practitioner_a, "/api/v1/credits/rules/").json()
    assert rules[-1]["year"] == 2008 and rules[-1]["seed_unchecked"] is True
    assert rules[-1]["minimums"] == [{"category": "law_ethics", "min_hours": "3.0"}]
    assert assert_allowed(client, member_a_admin, "/api/v1/credits/deferrals/").json()["results"] == []
    assert len(assert_allowed(client, practitioner_b, "/api/v1/credits/deferrals/").json()["results"]) == 1
    assert_denied(client, partner_user, "/api/v1/credits/deferrals/", codes=(403,))
    assert_denied(client, None, "/api/v1/credits/rules/")
