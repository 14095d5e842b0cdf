"""In real Chromium, in Chinese (issue #11's browser test): a public investor registers for a
full monthly talk and is wait-listed; another participant cancels and the investor is offered
the seat; the investor confirms it on the phone and opens the ticket (QR) on "my
registrations"; on the day the co-organiser's desk checks them in with the ticket's token;
after the session the investor rates it (the survey of the follow-up, services/surveys.py).

Desktop (1366 px) and phone (390 px) widths; screenshots go to the test's tmp dir (printed with
``-s``). ORM calls (the cancellation, the day arriving) stay outside the browser blocks (see
huifu.core.testing.browser)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from huifu.core.testing.browser import browser_login, open_browser
from huifu.core.testing.factories import UserFactory
from huifu.events import services
from huifu.events.models import Audience, CheckIn, Registration, RegistrationState, Session, SurveyResponse
from huifu.events.services.surveys import QUESTION_KEYS
from huifu.events.tickets import ticket_token

from .conftest import session_data

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def shot(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_investor_waitlisted_promoted_confirms_is_checked_in_and_rates(
    chromium_available, live_server, tmp_path, password, coordinator, university, university_user, public_user
):
    base = live_server.url
    day = timezone.localdate() + datetime.timedelta(days=14)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="大宗商品月月谈")
    session = services.session_create(
        actor=coordinator,
        series=series,
        co_organisers=[university],
        **session_data(title="铜市场年度展望", date=day, capacity=1, audiences=[Audience.INDIVIDUALS]),
    )
    session = services.session_publish(actor=coordinator, session=session)
    holder = UserFactory(email="holder@example.com", full_name="孙占位")
    holder_registration = services.registration_create(actor=holder, session=session)
    assert holder_registration.state == RegistrationState.CONFIRMED  # the only seat is taken

    # 1. The investor registers on the public page (desktop) and is wait-listed.
    with open_browser(**DESKTOP) as page:
        browser_login(page, base, public_user.email, password)
        page.goto(f"{base}/events/public/{session.pk}/")
        shot(page, tmp_path, "investor-1-session-full")
        with page.expect_navigation():
            page.locator(f"form[action='/events/sessions/{session.pk}/register/'] button[type=submit]").first.click()
        registered_text = page.locator("main").inner_text()
        shot(page, tmp_path, "investor-2-waitlisted")
    registration = Registration.objects.get(session=session, person=public_user)
    assert registration.state == RegistrationState.WAITLISTED
    assert "公众投资者：候补中。" in registered_text

    # 2. The seat-holder cancels: the investor is offered the seat at once.
    services.registration_cancel(actor=holder, registration=holder_registration)
    registration.refresh_from_db()
    assert registration.state == RegistrationState.OFFERED and registration.offer_expires_at

    # 3. On the phone: "my registrations" offers the seat; the investor confirms and opens the ticket.
    with open_browser(**PHONE) as page:
        browser_login(page, base, public_user.email, password)
        page.goto(f"{base}/events/my/")
        offer_text = page.locator("main").inner_text()
        shot(page, tmp_path, "investor-3-offer-phone")
        with page.expect_navigation():
            page.locator(f"form[action='/events/registrations/{registration.pk}/accept/'] button").click()
        page.locator("details summary", has_text="票证").click()
        page.wait_for_selector(".ticket svg")
        shown_token = page.locator("details small").first.inner_text().strip()
        qr_box = page.locator(".ticket svg").bounding_box()
        confirmed_text = page.locator("main").inner_text()
        shot(page, tmp_path, "investor-4-ticket-phone")
    registration.refresh_from_db()
    assert "确认名额" in offer_text
    assert registration.state == RegistrationState.CONFIRMED and "已确认" in confirmed_text
    assert shown_token == ticket_token(registration)
    assert qr_box and qr_box["width"] >= 200 and qr_box["x"] + qr_box["width"] <= PHONE["width"]

    # 4. The day comes; the co-organiser's desk types the ticket's token (what a scanner sends).
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate())
    with open_browser(**DESKTOP) as page:
        browser_login(page, base, university_user.email, password)
        page.goto(f"{base}/events/sessions/{session.pk}/desk/?desk=1号台")
        page.fill("#f-token", shown_token)
        page.press("#f-token", "Enter")
        page.wait_for_selector("#desk-log li")
        desk_log = page.locator("#desk-log li").all_inner_texts()
        counts = page.locator("#desk-counts").inner_text()
        shot(page, tmp_path, "investor-5-desk-checked-in")
    assert desk_log == ["公众投资者：签到成功。"] and counts == "已签到：1 / 1"
    check_in = CheckIn.objects.get()
    assert check_in.registration == registration and check_in.desk == "1号台"

    # 5. After the session (moved to yesterday: the survey opens when the session has started),
    #    "my registrations" asks the investor to rate it; on the phone they answer.
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate() - datetime.timedelta(days=1))
    with open_browser(**PHONE) as page:
        browser_login(page, base, public_user.email, password)
        page.goto(f"{base}/events/my/")
        shot(page, tmp_path, "investor-6-rate-invitation-phone")
        with page.expect_navigation():
            page.get_by_role("link", name="为本场活动评分").first.click()
        for key in QUESTION_KEYS:
            page.check(f"input[name={key}][value='5']")
        page.fill("textarea[name=comment]", "讲解清晰，希望增加案例分析。")
        shot(page, tmp_path, "investor-7-survey-phone")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        thanks = page.locator("main").inner_text()
        shot(page, tmp_path, "investor-8-rated-phone")
    print("screenshots:", tmp_path)
    assert "感谢您的回答。" in thanks
    answer = SurveyResponse.objects.get(registration=registration)
    assert [getattr(answer, key) for key in QUESTION_KEYS] == [5] * len(QUESTION_KEYS)
    assert answer.comment == "讲解清晰，希望增加案例分析。"
