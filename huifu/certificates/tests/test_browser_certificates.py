"""In real Chromium, in Chinese: a practitioner of company A attended two trainings — one on site
(checked in at the desk), one online (present long enough by the imported attendance minutes) —
sees the hours on "My credit hours", opens "My certificates", downloads the completion
certificate, and the QR code read from the PDF's image opens the public verification page (no
login), which says valid and shows the name masked. Screenshots at 1366x900 and 390x844."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from freezegun import freeze_time

from huifu.certificates import services
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.events import services as events
from huifu.events.tests.attendance_helpers import at
from huifu.events.tests.conftest import session_data
from huifu.workdays.services import add_working_days

from .conftest import check_in, import_online, register

pytestmark = pytest.mark.browser


def _credits_data():
    """The hour categories and the 2008 rule (seeded by migration; a transactional test's flush
    removed them)."""
    from huifu.credits.models import CategoryMinimum, CreditRule, HourCategory

    law, _ = HourCategory.objects.get_or_create(
        code="law_ethics", defaults={"name_zh": "法律法规与职业道德", "name_en": "Law and ethics", "sort_order": 10}
    )
    pro, _ = HourCategory.objects.get_or_create(
        code="professional", defaults={"name_zh": "专业知识", "name_en": "Professional", "sort_order": 20}
    )
    rule, created = CreditRule.objects.get_or_create(
        year=2008,
        defaults={
            "title": "期货从业人员后续职业培训规则",
            "window_years": 2,
            "min_hours": Decimal("18"),
            "deferral_years": 1,
        },
    )
    if created:
        CategoryMinimum.objects.create(rule=rule, category=law, min_hours=Decimal("3"))
    return law, pro


@pytest.fixture
def two_trainings(coordinator, msc_user, university, practitioner):
    law, pro = _credits_data()
    first = add_working_days(timezone.localdate(), -3).date
    second = add_working_days(timezone.localdate(), -1).date
    with freeze_time(datetime.datetime.combine(first - datetime.timedelta(days=3), datetime.time(10))):
        series = events.series_create(
            actor=coordinator, year=first.year, kind="training", title_zh="期货从业人员合规培训班"
        )
        onsite = events.session_create(
            actor=coordinator,
            series=series,
            co_organisers=[university],
            **session_data(title="期货法律法规与职业道德", date=first, audiences=["members_practitioners"]),
        )
        online = events.session_create(
            actor=coordinator,
            series=series,
            **session_data(
                title="期权交易实务（线上）",
                date=second,
                mode="online",
                platform="腾讯会议",
                link="https://meeting.tencent.com/dm/abc",
                room="",
                address="",
                capacity=None,
                audiences=["members_practitioners"],
            ),
        )
        onsite = events.session_publish(actor=coordinator, session=onsite)
        online = events.session_publish(actor=coordinator, session=online)
        (reg_onsite,) = register(onsite, practitioner)
        register(online, practitioner)
    from huifu.credits.services import session_hours_set

    session_hours_set(actor=coordinator, session=onsite, hours={law.pk: "3"}, online_mode="threshold")
    session_hours_set(actor=coordinator, session=online, hours={pro.pk: "3"}, online_mode="threshold")
    check_in(msc_user, onsite, reg_onsite)
    import_online(msc_user, online, [["张三明", "13800000001", "", at(online, "13:31"), at(online, "16:55")]])
    return series, onsite, online


def _qr_from_pdf(content: bytes, tmp_path) -> str | None:
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        return None
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "110", str(path), str(tmp_path / "page")], check=True)
    png = sorted(tmp_path.glob("page*.png"))[0]
    shutil.copy(png, screenshot_dir() / "certificates-pdf-page.png")
    return subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout.strip()


def screenshot_dir():
    from huifu.core.testing.browser import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


def test_practitioner_attends_sees_hours_downloads_and_verifies(
    chromium_available, live_server, settings, two_trainings, coordinator, practitioner, password, tmp_path
):
    settings.SITE_URL = live_server.url  # the address the QR code carries
    series, onsite, online = two_trainings
    for session in (onsite, online):
        services.certificate_issue_attendance(actor=coordinator, session=session, person=practitioner)
    completion = services.certificate_issue_completion(
        actor=coordinator, series=series, person=practitioner
    ).certificate
    assert [(row["label"], Decimal(row["hours"])) for row in completion.hours] == [
        ("法律法规与职业道德", Decimal(3)),
        ("专业知识", Decimal(3)),
    ]

    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, practitioner.email, password)
        page.goto(f"{live_server.url}/credits/")
        summary = page.get_by_test_id("hours-summary").inner_text()
        assert "法律法规与职业道德" in summary and "专业知识" in summary and "3" in summary
        screenshot(page, "certificates-hours-desktop")
        page.goto(f"{live_server.url}/certificates/")
        assert page.locator("h1").inner_text() == "证书"
        screenshot(page, "certificates-list-desktop")
        page.get_by_role("link", name=completion.number).click()
        assert "结业证书" in page.locator("h1").inner_text()
        screenshot(page, "certificates-detail-desktop")
        with page.expect_download() as download_info:
            page.get_by_test_id("download-pdf").click()
        pdf_path = tmp_path / "download.pdf"
        download_info.value.save_as(str(pdf_path))
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/certificates/")
        screenshot(page, "certificates-list-phone")

    content = pdf_path.read_bytes()
    assert content.startswith(b"%PDF")
    url = _qr_from_pdf(content, tmp_path) or completion.verification_url
    assert url == completion.verification_url and url.startswith(live_server.url)

    with open_browser(width=1366, height=900) as page:  # anyone, no login
        page.goto(url)
        assert page.get_by_test_id("verify-state").inner_text() == "有效"
        assert page.get_by_test_id("verify-name").inner_text() == "张*明"
        text = page.locator("main").inner_text()
        assert completion.number in text and "期货从业人员合规培训班" in text and "甲期货" not in text
        screenshot(page, "certificates-verify-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(url[:-3] + ("AA/" if not url.endswith("AA/") else "BB/"))
        assert page.get_by_test_id("verify-state").inner_text() == "未找到"
        screenshot(page, "certificates-verify-not-found-phone")
        page.goto(url)
        screenshot(page, "certificates-verify-phone")


def test_staff_issue_for_a_session_and_revoke(
    chromium_available, live_server, two_trainings, msc_user, practitioner, password
):
    from huifu.accounts.totp import current_code
    from huifu.certificates.models import Certificate
    from huifu.core.testing.auth import ensure_totp

    series, onsite, online = two_trainings
    secret = ensure_totp(msc_user)
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, msc_user.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{live_server.url}/certificates/issue/")
        page.get_by_role("link", name="期货法律法规与职业道德").click()
        page.get_by_test_id("issue-all").click()
        page.wait_for_selector("text=已签发 1 份证书")
        screenshot(page, "certificates-session-desktop")
        page.get_by_role("link", name=f"{timezone.localdate().year}-000001").click()
        page.locator("#revoke summary").click()
        page.get_by_role("button", name="撤销证书").click()
        assert page.locator("#revoke").get_attribute("open") is not None  # no reason: the form says so
        page.fill("textarea[name=revoke-reason]", "签到记录有误")
        page.get_by_role("button", name="撤销证书").click()
        page.wait_for_selector("text=已撤销")
        screenshot(page, "certificates-revoked-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/certificates/session/{onsite.pk}/")
        screenshot(page, "certificates-session-phone")
    cert = Certificate.objects.get()
    assert cert.is_revoked and cert.revocation_reason == "签到记录有误"
