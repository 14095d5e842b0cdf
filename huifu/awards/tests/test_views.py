"""Pages, API and export, scoped: member A reads its own breakdown, never B's; the owning
department acts, other staff read; the public page lists valid winners; certificates verify."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from huifu.awards.models import Objection, Winner
from huifu.awards.services import winner_revoke
from huifu.awards.services.evaluations import evaluation_compute, list_publish
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied, fetch


@pytest.fixture
def published(coordinator, rating_2023):
    evaluation_compute(actor=coordinator, evaluation=rating_2023)
    list_publish(actor=coordinator, evaluation=rating_2023)
    rating_2023.refresh_from_db()
    return rating_2023


@pytest.fixture
def final(published, coordinator):
    after = datetime.datetime.combine(published.objection_deadline + datetime.timedelta(days=1), datetime.time(9))
    with freeze_time(timezone.make_aware(after)):
        list_publish(actor=coordinator, evaluation=published)
    published.refresh_from_db()
    return published


def test_nothing_is_shown_to_members_before_publication(client, coordinator, rating_2023, member_a_admin):
    evaluation_compute(actor=coordinator, evaluation=rating_2023)
    url = rating_2023.get_absolute_url()
    assert_denied(client, member_a_admin, url)
    assert_denied(client, member_a_admin, reverse("api-award-result-list", args=[rating_2023.pk]))
    assert_allowed(client, coordinator, url)


def test_member_reads_its_own_breakdown_and_never_anothers(
    client, published, member_a_admin, member_b_admin, org_a, org_b
):
    page = assert_allowed(client, member_a_admin, published.get_absolute_url()).content.decode()
    assert "甲期货有限公司" in page and 'data-testid="own-result"' in page
    assert "64.00" in page  # A's total
    assert "65.56" not in page  # B's total appears nowhere
    # the staff breakdown of B, by address: not found
    assert_denied(client, member_a_admin, reverse("awards:result", args=[published.pk, org_b.pk]))
    # API: only its own result
    data = assert_allowed(client, member_a_admin, reverse("api-award-result-list", args=[published.pk])).json()
    assert [r["organisation"] for r in data["results"]] == [org_a.pk]
    # export: only its own breakdown
    response = assert_allowed(client, member_a_admin, reverse("awards:evaluation_export", args=[published.pk]))
    cells = [c.value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    assert 64.0 in cells and 65.56 not in cells and "乙期货有限公司" not in cells


def test_partner_and_public_users_see_no_evaluation(client, published, partner_user, public_user):
    for user in (partner_user, public_user, None):
        assert_denied(client, user, published.get_absolute_url())
    assert_denied(client, partner_user, reverse("api-award-result-list", args=[published.pk]))


def test_objection_through_the_page_and_the_decision_by_someone_else(
    client, published, member_a_admin, coordinator, coordinator_2
):
    url = reverse("awards:objection_submit", args=[published.pk])
    response = fetch(client, member_a_admin, url, "post", {"objection-text": "", "objection-indicator_code": ""})
    assert response.status_code == 400 and not Objection.objects.exists()
    fetch(
        client,
        member_a_admin,
        url,
        "post",
        {"objection-text": "成交量统计缺少3月数据", "objection-indicator_code": "volume"},
    )
    objection = Objection.objects.get()
    decide = reverse("awards:objection_decide", args=[objection.pk])
    data = {f"o{objection.pk}-outcome": "rejected", f"o{objection.pk}-reason": "数据已核对无误"}
    response = fetch(client, coordinator, decide, "post", data)
    assert response.status_code == 400  # the scorer may not decide: the page says so, nothing changes
    objection.refresh_from_db()
    assert objection.state == "submitted"
    assert_denied(client, member_a_admin, decide, "post", data)
    fetch(client, coordinator_2, decide, "post", data)
    objection.refresh_from_db()
    assert objection.state == "rejected" and objection.decided_by == coordinator_2


def test_api_objection_by_another_member_is_refused(client, published, member_b_admin, member_a_admin):
    url = reverse("api-award-objection-list", args=[published.pk])
    fetch(client, member_a_admin, url, "post", {"text": "异议"}, content_type="application/json")
    listing = fetch(client, member_b_admin, url).json()
    assert listing == []  # B sees none of A's objections


def test_ine_pages_are_the_ine_departments(client, ine_user, coordinator, published):
    # the coordinator's evaluation: INE staff read it (staff) but cannot act on it
    assert_denied(client, ine_user, reverse("awards:evaluation_compute", args=[published.pk]), "post")
    assert_allowed(client, coordinator, reverse("awards:evaluation_compute", args=[published.pk]), "post", ok=(302,))


def test_certificate_public_page_and_revocation(client, final, coordinator, member_a_admin, member_b_admin, org_b):
    winner = Winner.objects.get(edition=final.edition)
    assert winner.organisation == org_b
    assert_allowed(client, member_b_admin, reverse("awards:certificate_pdf", args=[winner.pk]))
    assert_denied(client, member_a_admin, reverse("awards:certificate_pdf", args=[winner.pk]))
    public = fetch(client, None, reverse("awards_public:index")).content.decode()
    assert "乙期货有限公司" in public
    verify = fetch(client, None, winner.get_verification_path())
    assert verify.status_code == 200 and "乙期货有限公司" in verify.content.decode()
    assert fetch(client, None, reverse("awards_public:verify", args=["A" * 20])).status_code == 404
    winner_revoke(actor=coordinator, winner=winner, reason="2024年受到行政处罚")
    assert "乙期货有限公司" not in fetch(client, None, reverse("awards_public:index")).content.decode()
    assert "2024年受到行政处罚" in fetch(client, None, winner.get_verification_path()).content.decode()


def test_pdf_embeds_its_font(client, final, member_b_admin):
    winner = Winner.objects.get(edition=final.edition)
    from huifu.awards.pdf import winner_certificate_pdf

    content = winner_certificate_pdf(winner)
    assert content.startswith(b"%PDF") and b"NotoSansSC" in content and b"FontFile2" in content


def test_lists_keep_a_constant_number_of_queries(client, coordinator, final, rating):
    from huifu.core.testing.auth import login
    from huifu.core.testing.factories import OrganisationFactory

    login(client, coordinator)
    assert_constant_queries(client, reverse("awards:index"), lambda: None)

    def grow():
        for _ in range(3):
            OrganisationFactory()
        evaluation_compute(actor=coordinator, evaluation=final)

    assert_constant_queries(client, final.get_absolute_url(), grow)


def test_weights_form_refuses_a_level_not_adding_up(client, coordinator, ine_user, rating):
    from huifu.awards.services import scheme_create

    from .conftest import member_tree

    scheme = scheme_create(actor=coordinator, programme=rating, year=2024, indicators=member_tree())
    url = reverse("awards:scheme", args=[scheme.pk])
    data = {"market": "60", "volume": "50", "activities": "45", "compliance": "40"}
    response = fetch(client, coordinator, url, "post", data)
    assert response.status_code == 200 and "95" in response.content.decode()
    assert scheme.indicators.get(code="activities").weight == 50
    assert_denied(client, ine_user, url, "post", {**data, "activities": "50"})
    assert scheme.indicators.get(code="activities").weight == 50
    fetch(client, coordinator, url, "post", {**data, "activities": "50", "volume": "50"})
    response = fetch(client, coordinator, url, "post", {**data, "volume": "40", "activities": "60"})
    assert response.status_code == 302 and scheme.indicators.get(code="activities").weight == 60


def test_measure_form_records_with_a_clear_message_for_bad_input(client, coordinator, published, org_a):
    from huifu.awards.models import SupervisoryMeasure

    url = reverse("awards:measure_record", args=[published.pk])
    data = {
        "measure-organisation": org_a.pk,
        "measure-kind": "warning_letter",
        "measure-document_number": "",
        "measure-issued_on": "2023-05-10",
        "measure-violation_ref": "2023-适当性",
    }
    assert fetch(client, coordinator, url, "post", data).status_code == 400
    assert not SupervisoryMeasure.objects.exists()
    data["measure-document_number"] = "沪证监措施字〔2023〕12号"
    assert fetch(client, coordinator, url, "post", data).status_code == 302
    assert SupervisoryMeasure.objects.get().violation_ref == "2023-适当性"


def test_home_card(published, member_a_admin, partner_user, coordinator, coordinator_2):
    from huifu.awards.home_cards import awards_card
    from huifu.awards.services.evaluations import objection_submit

    card = awards_card(member_a_admin)
    assert card.rows[0].count == 1 and card.rows[0].deadline == published.objection_deadline
    assert awards_card(partner_user) is None
    assert awards_card(coordinator_2) is None
    objection_submit(actor=member_a_admin, evaluation=published, text="异议")
    assert awards_card(coordinator_2).rows[0].count == 1


def test_evaluation_created_from_the_scheme_page_and_next_years_version(client, coordinator, ine_user, rating):
    from huifu.awards.models import Evaluation, SchemeVersion
    from huifu.awards.services import scheme_create

    from .conftest import member_tree

    scheme = scheme_create(actor=coordinator, programme=rating, year=2023, indicators=member_tree())
    url = reverse("awards:evaluation_create", args=[scheme.pk])
    data = {
        "evaluation-title_zh": "2023年度会员评优",
        "evaluation-title_en": "2023 Member Rating",
        "evaluation-objection_days": "5",
        "evaluation-categories": "gold | 金奖 | Gold",
    }
    response = fetch(client, coordinator, url, "post", data)
    assert response.status_code == 400  # the line without a quota is named in the message
    assert not Evaluation.objects.exists()
    assert_denied(client, ine_user, url, "post", {**data, "evaluation-categories": "gold | 金奖 | Gold | 3"})
    response = fetch(client, coordinator, url, "post", {**data, "evaluation-categories": "gold | 金奖 | Gold | 3"})
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302 and evaluation.edition.categories.get().quota == 3
    fetch(client, coordinator, reverse("awards:evaluation_open", args=[evaluation.pk]), "post")
    response = fetch(client, coordinator, reverse("awards:scheme_next", args=[scheme.pk]), "post")
    new = SchemeVersion.objects.get(year=2024)
    assert response.status_code == 302 and new.based_on == scheme and new.state == "draft"


def test_bonus_form_caps_are_applied_at_computation(client, coordinator, rating, org_a, org_b, trade):
    from huifu.awards.services import BonusSpec, CategorySpec, scheme_create
    from huifu.awards.services.evaluations import evaluation_create, evaluation_open

    from .conftest import member_tree

    scheme = scheme_create(
        actor=coordinator,
        programme=rating,
        year=2023,
        indicators=member_tree(),
        bonus_items=[BonusSpec("innovation", "业务创新", "Innovation", 2)],
        bonus_cap=3,
    )
    evaluation = evaluation_create(
        actor=coordinator,
        programme=rating,
        scheme=scheme,
        year=2023,
        title_zh="评优",
        title_en="Rating",
        categories=[CategorySpec("a", "甲", "A", 1)],
    )
    evaluation_open(actor=coordinator, evaluation=evaluation)
    url = reverse("awards:bonus_grant", args=[evaluation.pk])
    data = {"bonus-organisation": org_a.pk, "bonus-bonus_code": "innovation", "bonus-points": "5", "bonus-evidence": ""}
    assert fetch(client, coordinator, url, "post", data).status_code == 400
    assert fetch(client, coordinator, url, "post", {**data, "bonus-evidence": "创新奖批文"}).status_code == 302
    result_set = evaluation_compute(actor=coordinator, evaluation=evaluation)
    assert result_set.results.get(organisation=org_a).bonus == 2  # capped by the item's cap


def test_a_withdrawn_measure_no_longer_deducts(client, coordinator, published, rating, org_a):
    from huifu.awards.models import SupervisoryMeasure
    from huifu.awards.services.evaluations import measure_record

    measure_record(
        actor=coordinator,
        programme=rating,
        organisation=org_a,
        kind="fine",
        document_number="沪证监罚字〔2023〕9号",
        issued_on=datetime.date(2023, 6, 1),
        violation_ref="v1",
    )
    assert evaluation_compute(actor=coordinator, evaluation=published).results.get(organisation=org_a).deduction == 5
    measure = SupervisoryMeasure.objects.get()
    url = reverse("awards:measure_withdraw", args=[published.pk, measure.pk])
    fetch(client, coordinator, url, "post", {"reason": ""})
    measure.refresh_from_db()
    assert measure.withdrawn_at is None
    fetch(client, coordinator, url, "post", {"reason": "该措施已被撤销（复议决定）"})
    measure.refresh_from_db()
    assert measure.withdrawn_at is not None
    assert evaluation_compute(actor=coordinator, evaluation=published).results.get(organisation=org_a).deduction == 0


def test_api_decision_by_the_scorer_answers_its_domain_code(
    client, published, member_a_admin, coordinator, coordinator_2
):
    url = reverse("api-award-objection-list", args=[published.pk])
    response = fetch(client, member_a_admin, url, "post", {"text": "成交量有误"}, content_type="application/json")
    assert response.status_code == 201
    decide = reverse("api-award-objection-decide", args=[response.json()["id"]])
    body = {"upheld": False, "reason": "经核对无误"}
    response = fetch(client, coordinator, decide, "post", body, content_type="application/json")
    assert response.status_code == 400 and "same_person" in response.content.decode()
    response = fetch(client, coordinator_2, decide, "post", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "rejected"


def test_certificate_is_issued_in_the_exchanges_name_from_its_identity(final, tmp_path):
    """The issuer line reads the identity data: switch the exchange's name and the certificate
    follows (no name in code)."""
    import shutil
    import subprocess

    from huifu.awards.pdf import winner_certificate_pdf
    from huifu.core.identity import invalidate
    from huifu.publicsite.models import SiteIdentity

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    identity = SiteIdentity.current()
    identity.name_zh = "示例商品交易所"
    identity.save()
    invalidate()
    winner = Winner.objects.get(edition=final.edition)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(winner_certificate_pdf(winner))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert f"示例商品交易所{final.programme.department.name_zh}" in text
