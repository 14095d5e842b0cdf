"""In real Chromium, in Chinese: a registration offered a seat from the waiting list shows its
stepper (候补 → 已分配座位 → 已确认), the confirmation deadline and 确认座位 as the primary button.
Screenshots at 1366×900 and 390×844 into /work/notes/shots/steppers/ when that folder exists."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from huifu.core.testing.browser import browser_login, open_browser
from huifu.core.testing.factories import UserFactory
from huifu.events import services

pytestmark = pytest.mark.browser
SHOTS = Path("/work/notes/shots/steppers")


def test_offered_registration_stepper_in_chinese(chromium_available, live_server, make_session, password):
    seated_person = UserFactory(email="seat@example.com", full_name="张先到")
    person = UserFactory(email="wait@example.com", full_name="李候补")
    session = make_session(date=timezone.localdate() + datetime.timedelta(days=20), capacity=1, publish=True)
    seated = services.registration_create(actor=seated_person, session=session)
    reg = services.registration_create(actor=person, session=session)
    services.registration_cancel(actor=seated_person, registration=seated)
    url = live_server.url + reverse("events:registration_detail", args=[reg.pk])
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, person.email, password)
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url)
            assert page.get_by_test_id("stepper-due").is_visible()
            assert page.get_by_test_id("next-action").inner_text().strip() == "确认座位"
            if SHOTS.is_dir():
                page.screenshot(path=str(SHOTS / f"registration-{width}.png"), full_page=True)
        page.get_by_test_id("next-action").click()
        page.wait_for_load_state()
    reg.refresh_from_db()
    assert reg.state == "confirmed"
