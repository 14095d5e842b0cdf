"""Pages: the permission matrix (anonymous / wrong role / right role / another organisation's
session), the public pages for anyone, .ics files, the plan's gaps, bad input never a 500."""

from __future__ import annotations

import datetime

import pytest
from icalendar import Calendar

from huifu.core.testing.access import assert_allowed, assert_denied, fetch
from huifu.events.models import Series, Session, SessionState

from .conftest import HOLIDAY, YEAR

pytestmark = pytest.mark.django_db


def test_public_pages_answer_anyone_and_hide_drafts_and_the_link(client, make_session, coordinator):
    from huifu.events import services

    day = datetime.date.today() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="下月讲座")
    published = make_session(
        series=series,
        publish=True,
        date=day,
        mode="hybrid",
        platform="腾讯会议",
        link="https://meeting.example.com/secret-room",
    )
    draft = make_session(series=series, title="尚未发布的讲座", date=published.date)
    response = client.get("/events/public/")
    assert response.status_code == 200
    body = response.content.decode()
    assert published.title in body and draft.title not in body
    detail = client.get(published.get_public_url())
    assert detail.status_code == 200 and "secret-room" not in detail.content.decode()
    assert client.get(draft.get_public_url()).status_code == 404
    assert client.get(f"/events/public/{draft.pk}.ics").status_code == 404


def test_public_past_list_and_page_params_never_500(client, make_session):
    past = make_session(publish=True, date=datetime.date(YEAR, 1, 15))
    response = client.get("/events/public/?when=past&page=zzz")
    assert response.status_code == 200
    if past.date < datetime.date.today():
        assert past.title in response.content.decode()
    assert client.get("/events/public/?when=<script>").status_code == 200


def test_session_ics_and_series_feed(client, make_session, talk_series):
    first = make_session(publish=True, date=datetime.date(YEAR, 3, 19))
    make_session(publish=True, title="第二讲", date=datetime.date(YEAR, 4, 16))
    make_session(title="草稿", date=datetime.date(YEAR, 5, 21))
    response = client.get(f"/events/public/{first.pk}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["uid"] == f"event-session-{first.pk}@huifu"
    assert event.decoded("dtstart") == datetime.datetime(YEAR, 3, 19, 5, 30, tzinfo=datetime.UTC)  # 13:30 +08:00
    feed = Calendar.from_ical(client.get(f"/events/public/series/{talk_series.pk}.ics").content)
    assert sorted(str(e["summary"]) for e in feed.walk("VEVENT")) == sorted(
        [f"{talk_series.title_zh}：{first.title}", f"{talk_series.title_zh}：第二讲"]
    )
    assert client.get("/events/public/series/99999.ics").status_code == 404


@pytest.mark.parametrize("url", ["/events/", "/events/series/", "/events/speakers/", "/events/sessions/new/"])
def test_management_pages_send_anonymous_to_login(client, url):
    assert_denied(client, None, url)


def test_management_matrix(
    client,
    coordinator,
    dept_staff,
    member_a_admin,
    public_user,
    university_user,
    other_university_user,
    training_session,
    talk_series,
):
    detail = f"/events/sessions/{training_session.pk}/"
    for user in (coordinator, dept_staff, university_user):
        assert_allowed(client, user, detail)
    for user in (other_university_user, member_a_admin, public_user):
        assert_denied(client, user, detail)
    assert_allowed(client, dept_staff, f"/events/series/{talk_series.pk}/")
    assert_denied(client, university_user, f"/events/series/{talk_series.pk}/")
    assert_denied(client, dept_staff, "/events/series/new/")
    assert_denied(client, dept_staff, f"/events/sessions/{training_session.pk}/edit/")
    assert_allowed(client, university_user, f"/events/sessions/{training_session.pk}/edit/")
    assert_denied(client, public_user, "/events/")


def test_denied_publish_changes_nothing(client, university_user, training_session, coordinator):
    from huifu.events import services

    services.session_withdraw(actor=coordinator, session=training_session)
    assert_denied(client, university_user, f"/events/sessions/{training_session.pk}/publish/", method="post")
    training_session.refresh_from_db()
    assert training_session.state == SessionState.DRAFT


def test_series_and_session_created_through_the_pages_with_holiday_warning(client, coordinator):
    response = assert_allowed(
        client,
        coordinator,
        "/events/series/new/",
        method="post",
        data={"year": YEAR, "kind": "monthly_talk", "title_zh": "月月谈", "offer_working_days": 1},
        ok=(302,),
    )
    series = Series.objects.get()
    assert response["Location"] == series.get_absolute_url()
    data = {
        "title": "国庆特别讲座",
        "date": HOLIDAY.isoformat(),
        "slot": "morning",
        "mode": "on_site",
        "address": "上海期货大厦",
        "capacity": "80",
        "topic_type": "market_outlook",
        "audiences": ["analysts"],
    }
    response = client.post(f"/events/sessions/new/?series={series.pk}", data, follow=True)
    assert response.status_code == 200
    session = Session.objects.get()
    assert session.date == HOLIDAY
    assert "法定节假日（国庆节）" in response.content.decode()


def test_session_form_bad_input_is_a_form_error(client, coordinator, talk_series):
    fetch(client, coordinator, "/events/")
    for data in (
        {"title": "x", "date": "2026-13-45", "slot": "morning", "mode": "on_site", "topic_type": "market_outlook"},
        {
            "title": "x",
            "date": "2025-03-19",
            "slot": "morning",
            "mode": "on_site",
            "capacity": "10",
            "address": "a",
            "topic_type": "market_outlook",
            "audiences": ["analysts"],
        },
        {
            "title": "x",
            "date": "2026-03-19",
            "slot": "morning",
            "mode": "on_site",
            "capacity": "",
            "address": "",
            "topic_type": "market_outlook",
            "audiences": ["analysts"],
        },
    ):
        response = client.post(f"/events/sessions/new/?series={talk_series.pk}", data)
        assert response.status_code == 200
    assert Session.objects.count() == 0
    assert client.get("/events/sessions/new/?series=abc").status_code == 302
    assert client.get("/events/sessions/new/?series=999999").status_code == 404


def test_cancel_without_reason_changes_nothing(client, coordinator, make_session):
    session = make_session(publish=True)
    fetch(client, coordinator, session.get_absolute_url())
    response = client.post(f"/events/sessions/{session.pk}/cancel/", {"reason": ""})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == SessionState.PUBLISHED
    client.post(f"/events/sessions/{session.pk}/cancel/", {"reason": "台风"})
    session.refresh_from_db()
    assert session.state == SessionState.CANCELLED


def test_plan_page_marks_the_gap(client, dept_staff, make_session, talk_series):
    for month in (1, 3):
        make_session(date=datetime.date(YEAR, month, 15 if month == 1 else 19))
    response = assert_allowed(client, dept_staff, talk_series.get_absolute_url())
    assert response.context["gaps"] == [2, *range(4, 13)]


def test_public_user_sees_the_public_pages_in_the_menu(client, public_user):
    response = assert_allowed(client, public_user, "/events/public/")
    assert "/events/public/" in response.content.decode()
