"""Pages, PDF, the public verification page and the API: what each person sees, and never sees."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from huifu.certificates import services
from huifu.certificates.models import Certificate
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied, fetch
from huifu.core.testing.pdfs import assert_pdf_embeds_its_font

pytestmark = pytest.mark.django_db


@pytest.fixture
def certs(coordinator, attended, practitioner, practitioner_b, investor):
    def issue(session, person):
        return services.certificate_issue_attendance(actor=coordinator, session=session, person=person).certificate

    return {
        "a_onsite": issue(attended["onsite"], practitioner),
        "a_online": issue(attended["online"], practitioner),
        "b_onsite": issue(attended["onsite"], practitioner_b),
        "public": issue(attended["onsite"], investor),
    }


# --- the public verification page ---------------------------------------------------------------


def test_verify_page_shows_only_what_it_should(client, certs, practitioner):
    cert = certs["a_onsite"]
    response = client.get(cert.get_verification_path())
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert cert.number in html and "张*明" in html and cert.title in html
    assert "有效" in html and "参会证明" in html
    for secret in ("张三明", practitioner.email, practitioner.phone, "甲期货", "一号台", "13800000001"):
        assert secret not in html, secret


def test_verify_page_shows_revocation_with_its_date(client, coordinator, certs):
    cert = services.certificate_revoke(actor=coordinator, certificate=certs["a_onsite"], reason="签到代签，内部原因")
    html = client.get(cert.get_verification_path()).content.decode()
    assert "已撤销" in html and f"{timezone.localtime(cert.revoked_at):%Y-%m-%d}" in html
    assert "内部原因" not in html  # the reason is for staff


def test_verify_page_of_a_replaced_certificate_names_the_new_number(client, coordinator, certs):
    new = services.certificate_reissue(actor=coordinator, certificate=certs["a_onsite"], holder_name="张三鸣")
    html = client.get(certs["a_onsite"].get_verification_path()).content.decode()
    assert new.number in html and "张*明" in html
    assert "张*鸣" in client.get(new.get_verification_path()).content.decode()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c.code[:-1] + ("A" if c.code[-1] != "A" else "B"),  # one character altered
        lambda c: c.number,  # the sequential number is not a code
        lambda c: c.code[:10],
        lambda c: "x" * 300,
        lambda c: "%00<script>",
    ],
)
def test_unknown_or_altered_code_is_a_clear_not_found(client, certs, mangle):
    response = client.get(f"/verify/{mangle(certs['a_onsite'])}/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode() or "No certificate" in response.content.decode()


def test_many_checks_from_one_address_are_slowed_down(client, certs):
    from freezegun import freeze_time

    from huifu.certificates import views

    with freeze_time("2026-12-03 10:00:05"):  # one minute (the counter's window)
        codes = [f"/verify/{'A' * 20}/"] * views.VERIFY_PER_MINUTE
        assert all(client.get(url).status_code == 404 for url in codes)
        blocked = client.get(certs["a_onsite"].get_verification_path())
    assert blocked.status_code == 429 and blocked["Retry-After"] == "60"


def test_code_is_accepted_in_lower_case_and_with_spaces(client, certs):
    cert = certs["a_onsite"]
    assert client.get(f"/verify/{cert.code.lower()}/").status_code == 200


# --- pages and files: who sees what -------------------------------------------------------------


def test_holder_sees_and_downloads_own_certificates(client, certs, practitioner, investor):
    for user, key in ((practitioner, "a_onsite"), (investor, "public")):
        cert = certs[key]
        assert_allowed(client, user, cert.get_absolute_url())
        response = assert_allowed(client, user, reverse("certificates:pdf", args=[cert.pk]))
        assert response["Content-Type"] == "application/pdf"
    listing = fetch(client, investor, reverse("certificates:list")).content.decode()
    assert certs["public"].number in listing and certs["a_onsite"].number not in listing


@pytest.mark.parametrize("who", ["practitioner_b", "investor", "member_b_admin", "member_a_contact", "regulator"])
def test_others_never_see_a_certificate(client, certs, who, request):
    user = request.getfixturevalue(who)
    cert = certs["a_onsite"]
    for url in (cert.get_absolute_url(), reverse("certificates:pdf", args=[cert.pk])):
        assert_denied(client, user, url, codes=(404,))
    assert cert.number not in fetch(client, user, reverse("certificates:list")).content.decode()
    assert_denied(client, user, f"/api/v1/certificates/{cert.pk}/", codes=(404,))


def test_member_admin_sees_its_company_only(client, certs, member_a_admin, member_b_admin):
    html = fetch(client, member_a_admin, reverse("certificates:list")).content.decode()
    assert certs["a_onsite"].number in html and certs["a_online"].number in html
    assert certs["b_onsite"].number not in html and certs["public"].number not in html
    assert_allowed(client, member_a_admin, reverse("certificates:pdf", args=[certs["a_onsite"].pk]))
    assert_denied(client, member_a_admin, reverse("certificates:pdf", args=[certs["b_onsite"].pk]), codes=(404,))
    api = fetch(client, member_b_admin, "/api/v1/certificates/").json()
    assert [row["number"] for row in api["results"]] == [certs["b_onsite"].number]


def test_co_organiser_sees_only_its_sessions_certificates(client, certs, university_user, attended):
    html = fetch(client, university_user, reverse("certificates:list")).content.decode()
    assert certs["a_onsite"].number in html and certs["b_onsite"].number in html
    assert certs["a_online"].number not in html  # a session it does not co-organise
    assert_allowed(client, university_user, reverse("certificates:session", args=[attended["onsite"].pk]))
    assert_denied(client, university_user, reverse("certificates:session", args=[attended["online"].pk]))
    # it reads, it does not issue
    assert_denied(
        client, university_user, reverse("certificates:session_issue", args=[attended["onsite"].pk]), method="post"
    )
    assert_denied(client, university_user, reverse("certificates:issue_index"))


def test_staff_issue_revoke_and_reissue_through_the_pages(client, msc_user, attended, practitioner, absentee):
    url = reverse("certificates:session_issue", args=[attended["onsite"].pk])
    assert_allowed(client, msc_user, reverse("certificates:session", args=[attended["onsite"].pk]))
    fetch(client, msc_user, url, method="post", data={"person": absentee.pk})
    assert not Certificate.objects.exists()  # refused: did not attend (message on the page)
    fetch(client, msc_user, url, method="post")  # bulk
    assert Certificate.objects.count() == 3
    cert = Certificate.objects.get(holder=practitioner)
    response = fetch(client, msc_user, reverse("certificates:revoke", args=[cert.pk]), method="post", data={})
    assert response.status_code == 400
    cert.refresh_from_db()
    assert cert.is_valid
    fetch(
        client,
        msc_user,
        reverse("certificates:reissue", args=[cert.pk]),
        method="post",
        data={"reissue-holder_name": "张三鸣"},
    )
    cert.refresh_from_db()
    assert cert.is_replaced and cert.replaced_by.holder_name == "张三鸣"
    html = fetch(client, msc_user, cert.get_absolute_url()).content.decode()
    assert cert.replaced_by.number in html


@pytest.mark.parametrize("who", ["practitioner", "member_a_admin", "dept_staff"])
def test_issue_pages_refuse_non_managers(client, who, request, attended, practitioner):
    user = request.getfixturevalue(who)
    assert_denied(client, user, reverse("certificates:issue_index"))
    assert_denied(
        client,
        user,
        reverse("certificates:session_issue", args=[attended["onsite"].pk]),
        method="post",
        data={"person": practitioner.pk},
    )
    assert_denied(
        client,
        user,
        reverse("certificates:series_issue", args=[attended["onsite"].series_id]),
        method="post",
        data={"person": practitioner.pk},
    )
    assert not Certificate.objects.exists()


def test_list_runs_constant_queries(client, coordinator, attended, practitioner_b, investor, member_a_admin):
    from huifu.core.testing.auth import login

    login(client, coordinator)
    people = iter([practitioner_b, investor])

    def grow():
        services.certificate_issue_attendance(actor=coordinator, session=attended["onsite"], person=next(people))

    grow()
    assert_constant_queries(client, reverse("certificates:list"), grow)


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_embeds_its_font_and_holds_number_title_and_qr(client, certs, practitioner, tmp_path):
    cert = certs["a_onsite"]
    content = fetch(client, practitioner, reverse("certificates:pdf", args=[cert.pk])).content
    assert_pdf_embeds_its_font(content)
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert cert.number in text and "参会证明" in text and "期货法律法规与职业道德" in text and "张三明" in text
    subprocess.run(["pdftoppm", "-png", "-r", "110", str(path), str(tmp_path / "page")], check=True)
    if shutil.which("zbarimg"):
        png = sorted(tmp_path.glob("page*.png"))[0]
        decoded = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout.strip()
        assert decoded == cert.verification_url


# --- API ----------------------------------------------------------------------------------------


def test_api_issue_is_idempotent_and_scoped(client, coordinator, attended, practitioner, absentee, member_a_admin):
    body = {"kind": "attendance", "person": practitioner.pk, "session": attended["onsite"].pk}
    first = fetch(
        client, coordinator, "/api/v1/certificates/issue/", method="post", data=body, content_type="application/json"
    )
    assert first.status_code == 201, first.content
    again = fetch(
        client, coordinator, "/api/v1/certificates/issue/", method="post", data=body, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["number"] == first.json()["number"]
    refused = fetch(
        client,
        coordinator,
        "/api/v1/certificates/issue/",
        method="post",
        data={**body, "person": absentee.pk},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_eligible"
    denied = fetch(
        client, member_a_admin, "/api/v1/certificates/issue/", method="post", data=body, content_type="application/json"
    )
    assert denied.status_code == 403
    pk = first.json()["id"]
    no_reason = fetch(
        client,
        coordinator,
        f"/api/v1/certificates/{pk}/revoke/",
        method="post",
        data={"reason": " "},
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    revoked = fetch(
        client,
        coordinator,
        f"/api/v1/certificates/{pk}/revoke/",
        method="post",
        data={"reason": "错误"},
        content_type="application/json",
    )
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert fetch(client, member_a_admin, f"/api/v1/certificates/{pk}/").json()["number"] == first.json()["number"]
