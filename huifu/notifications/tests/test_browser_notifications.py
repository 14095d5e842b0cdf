"""The notification centre in real Chromium, in Chinese: a member company submits Member Voice
feedback (a real event), the member's bell shows it, the list opens the form and marks it read;
the same at phone width. Screenshots: ``HUIFU_SHOTS_DIR`` (default ``screenshots/``)."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from huifu.core.testing.browser import SCREENSHOTS, browser_login, open_browser

pytestmark = pytest.mark.browser

DESKTOP = (1366, 900)
PHONE = (390, 844)


def _shot(page, name: str) -> None:
    folder = Path(os.environ.get("HUIFU_SHOTS_DIR") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _submit_form(user):
    from huifu.servicedesk import services

    return services.feedback_submit(
        organisation=user.organisation,
        actor=user,
        contact_name="张联系",
        phone="021-68400000",
        email="contact@alpha.example",
        form_date=datetime.date(2024, 3, 1),
        suggestions=["建议扩大铜期货交割库容"],
        help_requests=[],
    )


def test_an_event_reaches_the_bell_and_the_list_opens_the_record(
    chromium_available, live_server, password, member_a_admin, member_a_contact, member_b_contact, official_calendar
):
    form = _submit_form(member_a_admin)  # "received" goes to every member user of company A
    with open_browser(width=DESKTOP[0], height=DESKTOP[1]) as page:
        browser_login(page, live_server.url, member_a_contact.email, password)
        page.goto(live_server.url + "/")
        bell = page.locator("#notification-bell [data-testid=bell-count]")
        assert bell.inner_text().strip().endswith("1")
        _shot(page, "notifications-bell-desktop")
        page.click("#notification-bell a")
        page.wait_for_url("**/notifications/")
        item = page.locator(".notification-unread").first
        assert "已受理" in item.inner_text() or "意见建议" in item.inner_text() or str(form.year) in item.inner_text()
        _shot(page, "notifications-list-desktop")
        item.locator("a.notification-text").click()
        page.wait_for_url(f"**{form.get_absolute_url()}")
        assert page.locator("#notification-bell [data-testid=bell-count]").count() == 0
        page.goto(live_server.url + "/notifications/")
        assert page.locator(".notification-unread").count() == 0
        page.goto(live_server.url + "/notifications/preferences/")
        assert "通知设置" in page.locator("h1").inner_text()
        _shot(page, "notifications-preferences-desktop")

        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        page.goto(live_server.url + "/notifications/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE[0], f"the list is {width}px wide on a {PHONE[0]}px phone"
        _shot(page, "notifications-list-phone")
        page.goto(live_server.url + "/notifications/preferences/")
        _shot(page, "notifications-preferences-phone")

    # Company B's member was told nothing about company A's form.
    from huifu.notifications.models import Notification

    assert not Notification.objects.filter(recipient=member_b_contact).exists()


def test_marking_read_on_the_list_updates_the_bell(chromium_available, live_server, password, member_a_contact):
    from huifu.notifications import kinds
    from huifu.notifications.services import notify

    for title in ("会员来函一", "会员来函二"):
        notify(
            recipient=member_a_contact,
            kind=kinds.ASSIGNMENT,
            message="Assigned to you: %(title)s",
            params={"title": title},
            url="/",
        )
    with open_browser(width=PHONE[0], height=PHONE[1]) as page:
        browser_login(page, live_server.url, member_a_contact.email, password)
        page.goto(live_server.url + "/notifications/")
        assert page.locator("#notification-bell [data-testid=bell-count]").inner_text().strip().endswith("2")
        _shot(page, "notifications-unread-phone")
        page.locator(".notification-unread button").first.click()
        # Locator waits, not wait_for_function: the page's CSP forbids evaluating strings.
        expect(page.locator(".notification-unread")).to_have_count(1)
        expect(page.locator("#notification-bell [data-testid=bell-count]")).to_have_text(re.compile(r"1\s*$"))
