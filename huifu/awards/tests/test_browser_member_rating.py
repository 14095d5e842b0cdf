"""In real Chromium, in Chinese: the coordinator opens the 2023 member rating, computes it and
publishes v1; member A reads its own breakdown (never B's figures) and objects to its compliance
score; after the window another coordinator (not the scorer) upholds the objection, corrects
the value with its evidence, recomputes and publishes the final v1.1; member A, now the winner,
reads and downloads its certificate. Screenshots at 1366x900 and 390x844."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from huifu.accounts.totp import current_code
from huifu.awards.models import Evaluation, Objection, Winner
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def draft_rating(coordinator, rating, org_a, org_b, trade):
    from huifu.awards.services import CategorySpec, scheme_create
    from huifu.awards.services.evaluations import evaluation_create

    from .conftest import MEASURE_POINTS, member_tree

    scheme = scheme_create(
        actor=coordinator,
        programme=rating,
        year=2023,
        indicators=member_tree(),
        deductions=MEASURE_POINTS,
        deductions_to_be_checked=True,
    )
    evaluation = evaluation_create(
        actor=coordinator,
        programme=rating,
        scheme=scheme,
        year=2023,
        title_zh="2023年度会员评优",
        title_en="2023 Member Rating",
        categories=[CategorySpec("excellent", "优秀会员", "Excellent member", 1)],
    )
    trade(org_a, datetime.date(2023, 3, 1), 800)
    trade(org_b, datetime.date(2023, 3, 1), 1000)
    return evaluation


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(tmp_path / "certificate")], check=True
        )
        from huifu.core.testing.browser import SCREENSHOTS

        SCREENSHOTS.mkdir(exist_ok=True)
        shutil.copy(tmp_path / "certificate.png", SCREENSHOTS / "awards-certificate-pdf.png")
    fonts = (
        subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        if shutil.which("pdffonts")
        else "emb yes"
    )
    return fonts


def test_member_rating_in_chinese(
    chromium_available,
    live_server,
    settings,
    draft_rating,
    coordinator,
    coordinator_2,
    member_a_admin,
    org_a,
    org_b,
    password,
    tmp_path,
):
    settings.SITE_URL = live_server.url
    evaluation = draft_rating
    url = f"{live_server.url}{evaluation.get_absolute_url()}"
    secret, secret_2 = ensure_totp(coordinator), ensure_totp(coordinator_2)

    # 1. The coordinator opens the evaluation in the browser.
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(url)
        assert page.get_by_test_id("evaluation-state").inner_text() == "草稿"
        page.get_by_test_id("open").click()
        assert page.get_by_test_id("evaluation-state").inner_text() == "已开放"
        # values entered with evidence through the page
        for org, value in ((org_a, "90"), (org_b, "80")):
            if page.locator("#enter-value").get_attribute("open") is None:
                page.locator("#enter-value summary").click()
            page.select_option("#id_value-organisation", str(org.pk))
            page.select_option("#id_value-indicator_code", "compliance")
            page.fill("#id_value-value", value)
            page.fill("#id_value-evidence", "2023年合规检查报告")
            page.get_by_test_id("enter-value").click()
        page.get_by_test_id("compute").click()
        assert "乙期货有限公司" in page.get_by_test_id("results").inner_text()
        screenshot(page, "awards-evaluation-staff-desktop")
        page.get_by_test_id("publish").click()
        assert page.get_by_test_id("evaluation-state").inner_text() == "异议期"

    # 2. Member A reads its own breakdown and objects.
    with open_browser(width=390, height=844) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        page.goto(url)
        own = page.get_by_test_id("own-result").inner_text()
        assert "甲期货有限公司" in own and "64.00" in own
        assert "65.56" not in page.locator("main").inner_text()  # B's total nowhere
        screenshot(page, "awards-member-breakdown-phone")
        page.select_option("#id_objection-indicator_code", "compliance")
        page.fill("#id_objection-text", "我司2023年11月已完成合规整改，合规经营得分未计入整改结果，请复核。")
        page.get_by_test_id("submit-objection").click()
        assert page.get_by_test_id("objection-state").inner_text().startswith("已提交")

    # The window closes (time passes); the objection was made in time and waits for its decision.
    Evaluation.objects.filter(pk=evaluation.pk).update(
        objection_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    objection = Objection.objects.get()

    # 3. Another coordinator (not the scorer) decides, corrects, recomputes and publishes v1.1.
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator_2.email, password, totp_code=lambda: current_code(secret_2))
        page.goto(url)
        form = page.get_by_test_id("decide-form")
        form.get_by_label("已采纳").check()
        form.locator("textarea").fill("整改报告已于2023年11月20日报送并验收，予以采纳。")
        page.get_by_test_id("decide").click()
        assert page.get_by_test_id("objection-state").inner_text().startswith("已采纳")
        page.locator("#enter-value summary").click()
        page.select_option("#id_value-organisation", str(org_a.pk))
        page.select_option("#id_value-indicator_code", "compliance")
        page.fill("#id_value-value", "100")
        page.fill("#id_value-evidence", "整改验收意见（2023年11月20日）")
        page.get_by_test_id("enter-value").click()
        page.fill("#id_compute-reason", "异议采纳后更正")
        page.get_by_test_id("compute").click()
        page.get_by_test_id("publish").click()
        assert page.get_by_test_id("evaluation-state").inner_text() == "已定稿"
        assert "v1.1" in page.locator("main").inner_text()
        screenshot(page, "awards-evaluation-final-desktop")

    objection.refresh_from_db()
    assert objection.state == "upheld" and objection.decided_by == coordinator_2
    winner = Winner.objects.get()
    assert winner.organisation == org_a

    # 4. Member A reads its certificate.
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        page.goto(url)
        assert "v1.1" in page.locator("main").inner_text()
        screenshot(page, "awards-member-final-desktop")
        with page.expect_download() as download_info:
            page.get_by_test_id("own-certificate").click()
        content = Path(download_info.value.path()).read_bytes()
        page.goto(f"{live_server.url}/public/awards/")
        assert "甲期货有限公司" in page.locator("main").inner_text()
        screenshot(page, "awards-public-desktop")
    assert content.startswith(b"%PDF")
    noto = [line for line in _pdf_text(content, tmp_path).splitlines() if "NotoSansSC" in line]
    assert noto and noto[0].split()[-5] == "yes"  # the Chinese font is embedded
