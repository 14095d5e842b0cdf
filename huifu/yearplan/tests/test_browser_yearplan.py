"""In real Chromium, in Chinese: the coordinator opens the 2023 arrangements, reads the generated
document, downloads the Word file (which has the seed's headings in order), freezes the year and
compares 2024 with it; the page on a phone. Screenshots go to screenshots/."""

from __future__ import annotations

import datetime
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from huifu.accounts.system import system_actor
from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.hotline.models import HotlineSetting
from huifu.incentives.models import PilotProgramme, Project, ProjectStatus
from huifu.incentives.pilots import load_pilots
from huifu.notices.models import Notice
from huifu.products.models import Product, ProductKind
from huifu.yearplan import demo, document
from huifu.yearplan.models import ArrangementYear
from huifu.yearplan.render_docx import docx_text

from .conftest import seed_headings

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(db):
    # live_server tests flush the tables the migrations filled: put back what the document cites.
    importlib.import_module("huifu.publicsite.migrations.0003_identity_values_from_code").forwards(apps, None)
    HotlineSetting.objects.get_or_create(effective_from=datetime.date(2023, 1, 1), defaults={"number": "800-820-3618"})
    load_pilots(PilotProgramme)
    copper, _ = Product.objects.get_or_create(
        code="cu", defaults={"name_zh": "铜", "kind": ProductKind.FUTURES, "fee_per_lot": 1}
    )
    option, _ = Product.objects.get_or_create(
        code="cu_o",
        defaults={"name_zh": "铜期权", "kind": ProductKind.OPTION, "underlying": copper, "fee_per_lot": 1},
    )
    notice = Notice.objects.create(
        doc_number="上期发〔2023〕61号", title="关于开展2023年“上期强源助企”项目的通知", body="通知正文。"
    )
    project = Project.objects.create(
        year=2023,
        code="2023-B01",
        name_zh="铜产业链市场功能提升项目",
        kind="functional",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        notice=notice,
        notice_doc_number=notice.doc_number,
        notice_date=datetime.date(2023, 3, 8),
        status=ProjectStatus.OPEN,
    )
    project.products.set([copper, option])
    project.pilots.set(PilotProgramme.objects.all())
    later = Project.objects.create(
        year=2024,
        code="2024-B01",
        name_zh="铜产业链市场功能提升项目",
        kind="functional",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        notice_doc_number="上期发〔2024〕20号",
        notice_date=datetime.date(2024, 3, 1),
        status=ProjectStatus.OPEN,
    )
    later.products.set([copper, option])
    later.pilots.set(PilotProgramme.objects.all())
    demo._ensure_2023(system_actor())


def test_coordinator_reads_downloads_freezes_and_compares(
    chromium_available, live_server, seeded, coordinator, password, tmp_path
):
    secret = ensure_totp(coordinator)
    saved, pdf_path = Path(tmp_path) / "2023.docx", Path(tmp_path) / "2023.pdf"
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{live_server.url}/yearplan/")
        page.get_by_role("link", name="2023年工作安排").click()
        doc = page.get_by_test_id("document")
        assert "2023年上海期货交易所" in doc.inner_text()
        assert "会员单位/行业协会发起申请——交易所审批活动" in doc.inner_text()
        screenshot(page, "yearplan-2023-desktop")
        with page.expect_download() as download_info:
            page.get_by_test_id("download-docx").click()
        download_info.value.save_as(saved)
        with page.expect_download() as pdf_info:
            page.get_by_test_id("download-pdf").click()
        pdf_info.value.save_as(pdf_path)
        page.get_by_test_id("freeze").click()
        page.wait_for_selector("[data-testid=status]:has-text('已冻结')")

        # Start 2024 from 2023 and reword one programme.
        page.goto(f"{live_server.url}/yearplan/")
        page.fill("input[name=year]", "2024")
        page.fill("input[name=as_of]", "2024-03-31")
        page.get_by_role("button", name="开始").click()
        page.wait_for_url(f"{live_server.url}/yearplan/2024/")
        page.goto(f"{live_server.url}/yearplan/2024/programmes/monthly-talks/edit/")
        field = page.locator("textarea[name=introduction]")
        field.fill(field.input_value().replace("或通过线上形式开展", "或通过线上线下相结合的形式开展"))
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(f"{live_server.url}/yearplan/2024/")
        page.get_by_test_id("compare").click()
        assert page.get_by_test_id("change").count() >= 2
        assert page.locator("ins", has_text="线下相结合").count() == 1
        screenshot(page, "yearplan-compare-desktop")

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/yearplan/2023/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "yearplan-2023-phone")
    text = docx_text(saved.read_bytes())
    positions = [text.index(h) for h in seed_headings()[:3]]
    assert positions == sorted(positions)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert ArrangementYear.objects.get(year=2023).is_frozen
    plan_2024 = ArrangementYear.objects.get(year=2024)
    assert "线上线下相结合" in plan_2024.programmes.get(key="monthly-talks").introduction
    assert document.headings(document.compose(plan_2024)) == seed_headings()
