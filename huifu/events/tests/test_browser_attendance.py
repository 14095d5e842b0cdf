"""In real Chromium, in Chinese: a co-organiser uploads 腾讯会议's participant list (GBK CSV) of a
past online session, reads the per-line problems in the preview, confirms leaving them out, and
reads the result per registration, on a desktop and a phone. Screenshots go to screenshots/."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.events.selectors_attendance import attendance_for_session
from huifu.workdays.services import add_working_days

from .attendance_helpers import at, csv_upload, online_session, person, register

pytestmark = pytest.mark.browser


@pytest.fixture
def past_online(coordinator, university):
    day = add_working_days(timezone.localdate(), -1).date
    with freeze_time(datetime.datetime.combine(day - datetime.timedelta(days=3), datetime.time(10))):
        session = online_session(coordinator, co_organisers=[university], title="有色金属期权线上培训", day=day)
        regs = register(
            session,
            person("张三", "13800000001", "zhang@example.com"),
            person("李四", "13800000002"),
            person("王五", "13800000003"),
        )
    return session, regs


def test_co_organiser_imports_attendance(
    chromium_available, live_server, past_online, university_user, password, tmp_path
):
    session, (alice, bob, carol) = past_online
    lines = [
        ["张三", "13800000001", "", at(session, "13:28"), at(session, "15:10")],
        ["张三", "", "zhang@example.com", at(session, "15:05"), at(session, "16:58")],
        ["李四", "13800000002", "", at(session, "13:30"), at(session, "14:05")],
        ["王五", "138****0003", "", at(session, "14:30"), at(session, "14:10")],
        ["访客", "13912345678", "", at(session, "13:40"), at(session, "16:00")],
    ]
    path = tmp_path / "腾讯会议参会明细.csv"
    path.write_bytes(csv_upload(lines, encoding="gb18030", preamble=[["会议主题：有色金属期权线上培训"]]).read())
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, university_user.email, password)
        page.goto(f"{live_server.url}{session.get_absolute_url()}")
        page.get_by_role("link", name="线上出席").click()
        assert page.locator("h1").inner_text() == "线上出席"
        page.set_input_files("input[name=file]", str(path))
        page.get_by_role("button", name="上传并预览").click()
        page.wait_for_selector("text=参会名单预览")
        text = page.locator("main").inner_text()
        assert "尚未保存任何内容" in text and "退会时间 14:10:00 早于入会时间 14:30:00" in text
        assert "本场次没有使用 13912345678 的报名" in text
        screenshot(page, "events-attendance-preview-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        preview_overflow = page.evaluate("document.body.scrollWidth - window.innerWidth")
        screenshot(page, "events-attendance-preview-phone")
        page.set_viewport_size({"width": 1366, "height": 900})
        page.get_by_role("button", name="确认导入").click()
        assert "请确认不导入这些行" in page.locator("main").inner_text()
        page.check("input[name=accept_problems]")
        page.get_by_role("button", name="确认导入").click()
        page.wait_for_selector("text=线上出席情况已导入")
        result = page.locator("main").inner_text()
        screenshot(page, "events-attendance-result-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        overflow = page.evaluate("document.body.scrollWidth - window.innerWidth")
        screenshot(page, "events-attendance-result-phone")
    assert "已确认报名 3 人中 1 人" in result
    records = attendance_for_session(session)
    assert records[alice.pk].attended and records[alice.pk].seconds_present == (16 * 60 + 58 - 13 * 60 - 28) * 60
    assert not records[bob.pk].attended and records[carol.pk].seconds_present == 0
    assert overflow <= 0, "the result page scrolls sideways on a phone"
    assert preview_overflow <= 0, "the preview scrolls sideways on a phone"
