"""In real Chromium, in Chinese: the coordinator narrows the work queue with the pickers (kind,
company typed into the searchable picker), ticks two items and assigns them to a colleague
chosen among their department's staff; then assigns every item of a Member Voice form on one
page. Screenshots of the queue at 1366×900 and 390×844 go to /work/notes/shots/queue/ (else the
test's tmp dir)."""

from __future__ import annotations

from pathlib import Path

import pytest

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser
from huifu.core.testing.factories import OrganisationFactory
from huifu.servicedesk.services.common import ITEM_KIND
from huifu.servicedesk.tests.conftest import submit  # noqa: F401, F811  (a Member Voice form, as members send it)
from huifu.tracking.models import TrackedItem
from huifu.tracking.services import tracked_for

from .conftest import at

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def _folder(tmp_path: Path) -> Path:
    notes = Path("/work/notes/shots")
    folder = notes / "queue" if notes.exists() else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_queue_filters_and_bulk_assignment_in_chinese(
    chromium_available, live_server, tmp_path, password, open_item, submit, coordinator, dept_staff, dept_head,  # noqa: F811
    dept_business, msc_user,
):  # fmt: skip
    target = OrganisationFactory(name_zh="中信期货有限公司")
    other = OrganisationFactory(name_zh="永安期货股份有限公司")
    a = open_item(target=target, organisation=target, kind="activity_summary", title="提交投教活动总结：铜期货培训",
                  received_at=at(2023, 9, 1), topic="投资者教育")  # fmt: skip
    b = open_item(target=OrganisationFactory(), organisation=target, kind="activity_summary",
                  title="提交投教活动总结：期权讲座", received_at=at(2030, 9, 1), topic="投资者教育")  # fmt: skip
    c = open_item(target=other, organisation=other, kind="hotline_followup", title="热线回访：交割咨询",
                  topic="交割")  # fmt: skip
    form = submit()
    secret = ensure_totp(coordinator)
    # a second staff member for the phone: allauth refuses a TOTP code used twice in 30 seconds
    head_secret = ensure_totp(dept_head)
    folder = _folder(tmp_path)
    base = live_server.url

    with open_browser(**DESKTOP) as page:
        browser_login(page, base, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(base + "/queue/")
        page.screenshot(path=str(folder / "queue-desktop.png"), full_page=True)
        page.select_option("select[name=kind]", "activity_summary")
        page.locator("input[data-filter-options=id_organisation]").fill("中信")
        with page.expect_navigation():
            page.locator("#queue-filters button[type=submit]").click()
        rows = page.locator("table.queue-table tbody tr").all_inner_texts()
        page.screenshot(path=str(folder / "queue-filtered-desktop.png"), full_page=True)
        # the short columns are not squeezed into one character per line
        cells = page.locator("table.queue-table td.col-short, table.queue-table td.col-wrap").evaluate_all(
            """els => els.filter(e => e.innerText.trim()).map(e => {
                const r = document.createRange(); r.selectNodeContents(e); const b = r.getBoundingClientRect();
                return [e.className, e.innerText.trim(), Math.round(b.width), Math.round(b.height)];
            })"""
        )
        overflow_desktop = page.evaluate(
            "document.querySelector('table.queue-table th:last-child').getBoundingClientRect().right - window.innerWidth"
        )
        page.locator("#check-all").check()
        page.select_option("#id_bulk-department", label="有色金属部")
        owners = page.locator("#id_bulk-owner optgroup:not([hidden])").evaluate_all("els => els.map(e => e.label)")
        page.locator("input[data-filter-options=id_bulk-owner]").fill("张主任")
        with page.expect_navigation():
            page.locator("[data-testid=bulk-assign]").click()
        message = page.locator(".messages").inner_text()
        page.screenshot(path=str(folder / "queue-after-bulk-desktop.png"), full_page=True)
        # Member Voice: every item of the form in one step
        page.goto(f"{base}/feedback/{form.pk}/assign/")
        page.select_option("#id_all_department", label="有色金属部")
        page.select_option("#id_all_owner", label="李业务")
        page.screenshot(path=str(folder / "form-assign-desktop.png"), full_page=True)
        with page.expect_navigation():
            page.locator("[data-testid=assign-all]").click()
        assigned_message = page.locator(".messages").inner_text()

    with open_browser(**PHONE) as page:
        browser_login(page, base, dept_head.email, password, totp_code=lambda: current_code(head_secret))
        page.goto(base + "/queue/")
        page.screenshot(path=str(folder / "queue-phone.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    assert len(rows) == 2 and all("中信期货有限公司" in row for row in rows)
    assert all("活动总结待提交" in row and "activity_summary" not in row for row in rows)
    # one line for the short columns, and no column narrower than three characters (vertical text)
    assert all(height < 40 for cls, _text, _width, height in cells if cls == "col-short"), cells
    assert all(width >= 40 for _cls, _text, width, _height in cells), cells
    assert overflow_desktop <= 0, overflow_desktop  # the deadline column is on screen at 1366
    assert owners == ["有色金属部"]
    assert "已分配 2 项" in message
    for item in (a, b):
        item.refresh_from_db()
        assert item.owner_id == dept_head.pk and item.department_id == dept_business.pk
    c.refresh_from_db()
    assert c.owner_id is None
    assert "已分配 3 项" in assigned_message
    for item in form.items.all():
        assert item.owner_id == dept_staff.pk
        assert tracked_for(item, ITEM_KIND).owner_id == dept_staff.pk
    assert overflow <= 0, overflow
    assert TrackedItem.objects.filter(owner=dept_head).count() == 2
