"""In real Chromium, in Chinese: an attendee rates a session through the e-mailed link (no
login), on a phone; a co-organiser reads the statistics and a member company its own people's
participation, on a desktop and a phone. Screenshots go to screenshots/ for a human to look at."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.core.testing.factories import UserFactory, org_user
from huifu.events import services
from huifu.events.models import Audience, SurveyResponse
from huifu.events.services.surveys import survey_token
from huifu.events.tickets import ticket_token
from huifu.workdays.services import add_working_days

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("official_calendar")]


@pytest.fixture
def past_session(make_session, talk_series, coordinator, dept_staff, university, member_a_admin):
    """A session on the last working day before today, co-organised by the university: an
    investor and a colleague of member A attended, another colleague did not come."""
    day = add_working_days(timezone.localdate(), -1).date
    talk_series.survey_working_days = 10
    talk_series.save()
    investor = UserFactory(email="investor@example.com", full_name="王投资")
    came = org_user(member_a_admin.organisation, email="came@alpha.example", full_name="李分析")
    absent = org_user(member_a_admin.organisation, email="absent@alpha.example", full_name="赵缺席")
    with freeze_time(datetime.datetime.combine(day - datetime.timedelta(days=3), datetime.time(10))):
        session = make_session(date=day, publish=True, title="铜产业链年度展望")
        session.co_organisers.add(university)
        mine = services.registration_create(actor=investor, session=session, audience=Audience.INDIVIDUALS)
        colleague = services.registration_create(
            actor=member_a_admin, session=session, person=came, audience=Audience.ANALYSTS
        )
        services.registration_create(actor=member_a_admin, session=session, person=absent, audience=Audience.ANALYSTS)
    for registration in (mine, colleague):
        services.checkin_record(actor=dept_staff, session=session, desk="1号台", token=ticket_token(registration))
    return session, mine


def test_attendee_rates_by_link_on_a_phone(chromium_available, live_server, past_session):
    session, mine = past_session
    url = f"{live_server.url}/events/survey/{survey_token(mine)}/"
    with open_browser(width=390, height=844) as page:
        page.goto(url)
        assert page.locator("h1").inner_text() == "满意度调查"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        screenshot(page, "events-survey-phone")
        for key in ("overall", "content", "speaker", "organisation"):
            page.locator(f"input[name={key}][value='5']").check()
        page.fill("textarea[name=comment]", "内容扎实，希望多讲案例")
        page.get_by_role("button", name="提交问卷").click()
        page.wait_for_selector("text=感谢您的参与")
        screenshot(page, "events-survey-thanks-phone")
    assert overflow <= 0, "the survey scrolls sideways on a phone"
    answer = SurveyResponse.objects.get(registration=mine)
    assert (answer.overall, answer.comment) == (5, "内容扎实，希望多讲案例")


def test_co_organiser_statistics_and_member_participation(
    chromium_available, live_server, past_session, university_user, member_a_admin, password
):
    session, _ = past_session
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, university_user.email, password)
        page.goto(f"{live_server.url}/events/statistics/")
        stats = page.locator("main").inner_text()
        screenshot(page, "events-statistics-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        stats_overflow = page.evaluate("document.body.scrollWidth - window.innerWidth")
        screenshot(page, "events-statistics-phone")
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        page.goto(f"{live_server.url}/events/participation/")
        participation = page.locator("main").inner_text()
        screenshot(page, "events-participation-desktop")
    assert "投资者教育统计" in stats and "铜产业链年度展望" in stats and "未到场" in stats
    assert stats_overflow <= 40
    assert "李分析" in participation and "赵缺席" in participation and "王投资" not in participation
    assert "未参会" in participation


def test_series_reminder_settings_in_chinese(chromium_available, live_server, talk_series, coordinator, password):
    """The series' reminder and survey periods, the speaker reminder lead among them, are data the
    events team sets on a page (desktop and phone)."""
    from huifu.accounts.totp import current_code
    from huifu.core.testing.auth import ensure_totp

    secret = ensure_totp(coordinator)
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{live_server.url}/events/series/{talk_series.pk}/followup/")
        page.get_by_label("提醒受邀讲师（回复截止前的工作日数）").fill("3")
        screenshot(page, "events-series-followup-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        overflow = page.evaluate("document.body.scrollWidth - window.innerWidth")
        screenshot(page, "events-series-followup-phone")
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector("text=已保存")
    talk_series.refresh_from_db()
    assert talk_series.speaker_reminder_working_days == 3
    assert overflow <= 0, "the settings page scrolls sideways on a phone"
