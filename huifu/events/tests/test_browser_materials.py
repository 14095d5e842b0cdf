"""In real Chromium, in Chinese: a university co-organiser uploads a handout whose text carries
advice phrases and no risk disclosure, submits it; the coordinator reads the pre-check's hints,
cannot approve with an unticked checklist, approves with all items ticked; an anonymous visitor
finds it on the public session page on a phone. Screenshots go to screenshots/."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.events import services
from huifu.events.models import Material, MaterialState

from .test_materials import docx_upload

pytestmark = pytest.mark.browser


@pytest.fixture
def upcoming_training(coordinator, university):
    day = timezone.localdate() + datetime.timedelta(days=20)
    series = services.series_create(actor=coordinator, year=day.year, kind="training", title_zh="会员及从业人员培训")
    session = services.session_create(
        actor=coordinator,
        series=series,
        co_organisers=[university],
        title="铜期权风险管理培训",
        date=day,
        slot="afternoon",
        mode="on_site",
        address="上海市浦东新区浦电路500号",
        room="二楼报告厅",
        capacity=80,
        topic_type="market_outlook",
        audiences=["members_practitioners"],
    )
    return services.session_publish(actor=coordinator, session=session)


def test_material_upload_review_and_public_page(
    chromium_available, live_server, upcoming_training, university_user, coordinator, password, tmp_path
):
    call_command("loaddata", "compliance_checklist", verbosity=0)
    session = upcoming_training
    path = tmp_path / "铜期权培训讲义.docx"
    path.write_bytes(docx_upload("铜期权基础", "本周铜价目标价 80000 元，建议买入，稳赚不赔。").read())
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, university_user.email, password)
        page.goto(f"{live_server.url}{session.get_absolute_url()}")
        page.get_by_role("button", name="添加课件、录像或讲义").click()
        page.select_option("select[name=kind]", "handout")
        page.fill("input[name=title]", "铜期权培训讲义")
        page.check("input[name=audience][value=public]")
        page.set_input_files("input[name=upload]", str(path))
        screenshot(page, "events-materials-upload-desktop")
        page.get_by_role("button", name="保存为草稿").click()
        page.wait_for_selector("text=已保存为草稿")
        text = page.locator("main").inner_text()
        assert "未发现风险提示用语" in text and "建议买入" in text and "目标价" in text and "稳赚" in text
        page.get_by_role("button", name="提交合规审核").click()
        page.wait_for_selector("text=已提交合规审核")
        screenshot(page, "events-materials-submitted-desktop")

    secret = ensure_totp(coordinator)
    material = Material.objects.get()
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{live_server.url}/events/materials/review/")
        page.get_by_role("link", name="铜期权培训讲义").click()
        page.check("text=材料含风险提示（风险揭示）内容")
        page.get_by_role("button", name="审核通过并发布").click()
        page.wait_for_selector("text=未勾选")
        screenshot(page, "events-materials-review-incomplete-desktop")
        for box in page.locator("input[name=ticked]").all():
            box.check()
        page.fill("textarea[name=note]", "讲者已补充风险提示页")
        page.get_by_role("button", name="审核通过并发布").click()
        page.wait_for_selector("text=审核通过：资料已向所选范围发布")
        screenshot(page, "events-materials-approved-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "events-materials-approved-phone")
    with open_browser(width=390, height=844) as page:
        page.goto(f"{live_server.url}{session.get_public_url()}")
        assert "铜期权培训讲义" in page.locator("main").inner_text()
        screenshot(page, "events-materials-public-phone")
        response = page.request.get(f"{live_server.url}{material.get_download_url()}")
        assert response.status == 200 and response.body()[:2] == b"PK"

    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED and material.reviewed_by == coordinator


def test_pdf_slides_are_read_by_the_precheck(
    chromium_available, live_server, upcoming_training, university_user, password, tmp_path, monkeypatch
):
    """A PDF deck's text is read: the advice phrase on page 2 is shown with its context; a deck
    longer than the pages read says how far it was read (desktop and phone, in Chinese)."""
    from huifu.events import material_checks

    from .test_materials import text_pdf

    monkeypatch.setattr(material_checks, "MAX_PDF_PAGES", 2)
    session = upcoming_training
    path = tmp_path / "铜期权培训课件.pdf"
    path.write_bytes(text_pdf("铜期权基础与风险管理", "本周铜价目标价 80000 元。", "风险提示：期货交易有风险。"))
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, university_user.email, password)
        page.goto(f"{live_server.url}{session.get_absolute_url()}")
        page.get_by_role("button", name="添加课件、录像或讲义").click()
        page.select_option("select[name=kind]", "slides")
        page.fill("input[name=title]", "铜期权培训课件")
        page.check("input[name=audience][value=public]")
        page.set_input_files("input[name=upload]", str(path))
        page.get_by_role("button", name="保存为草稿").click()
        page.wait_for_selector("text=已保存为草稿")
        text = page.locator("main").inner_text()
        assert "目标价" in text and "80000" in text
        assert "只读取了前 2 页（共 3 页）" in text and "未发现风险提示用语" in text  # page 3 not read
        screenshot(page, "events-materials-pdf-precheck-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "events-materials-pdf-precheck-phone")
    material = Material.objects.get()
    assert material.precheck["read"] == "pdf" and material.precheck["reason"] == "pdf_partial"
