"""The satisfaction survey: only attendees answer, once, within the window counted on the
working-day calendar; by the signed link (no login) or logged in from "My registrations"."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from freezegun import freeze_time

from huifu.audit.models import AuditEvent
from huifu.core.testing.access import fetch
from huifu.core.testing.factories import UserFactory
from huifu.events import services
from huifu.events.models import SurveyResponse
from huifu.events.services.surveys import (
    QUESTION_KEYS,
    SurveyError,
    survey_answer_submit,
    survey_closes_at,
    survey_token,
)
from huifu.events.tickets import ticket_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
EVE = datetime.date(2026, 9, 30)  # Wednesday before the National Day holiday (10-01 … 10-07)
DURING = datetime.datetime(2026, 10, 6, 10, 0, tzinfo=SH)
GOOD = dict.fromkeys(QUESTION_KEYS, 4)


@pytest.fixture
def attended(make_session, talk_series, coordinator, dept_staff):
    """A session on 09-30 (survey open 2 working days after it: to 10-09); ``came`` checked in,
    ``absent`` confirmed but not checked in."""
    came, absent = UserFactory(email="came@example.com"), UserFactory(email="absent@example.com")
    with freeze_time(datetime.datetime(2026, 9, 1, tzinfo=SH)):
        talk_series.survey_working_days = 2
        talk_series.save()
        session = make_session(date=EVE, publish=True)
        reg = services.registration_create(actor=came, session=session)
        no_show = services.registration_create(actor=absent, session=session)
    services.checkin_record(actor=dept_staff, session=session, desk="1", token=ticket_token(reg))
    return session, reg, no_show


def form_data(**overrides):
    data = dict.fromkeys(QUESTION_KEYS, "5") | {"comment": "讲得很好"}
    data.update(overrides)
    return data


def test_window_counts_working_days_across_the_holiday(attended):
    session, _, _ = attended
    # 2 working days after 09-30: 10-08 and 10-09 (the holiday does not count).
    assert survey_closes_at(session).date() == datetime.date(2026, 10, 9)


def test_attendee_answers_once_by_the_signed_link(client, attended):
    session, reg, _ = attended
    url = reverse("events:survey_answer", args=[survey_token(reg)])
    client.logout()
    with freeze_time(DURING):
        assert 'name="overall"' in client.get(url).content.decode()
        response = client.post(url, form_data())
        assert response.status_code == 302
        answer = SurveyResponse.objects.get(registration=reg)
        assert (answer.overall, answer.comment) == (5, "讲得很好")
        assert AuditEvent.objects.filter(target_type__model="surveyresponse", target_id=str(answer.pk)).exists()
        again = client.post(url, form_data(overall="1"))
    assert again.status_code == 200
    assert SurveyResponse.objects.get(registration=reg).overall == 5  # unchanged
    assert SurveyResponse.objects.count() == 1


def test_service_refuses_a_second_answer(attended):
    _, reg, _ = attended
    with freeze_time(DURING):
        survey_answer_submit(actor=reg.person, registration=reg, ratings=GOOD)
        with pytest.raises(SurveyError) as exc:
            survey_answer_submit(actor=reg.person, registration=reg, ratings=GOOD)
    assert exc.value.code == "already_answered"


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (datetime.datetime(2026, 9, 30, 13, 0, tzinfo=SH), "survey_not_open"),  # before the start
        (datetime.datetime(2026, 10, 10, 9, 0, tzinfo=SH), "survey_closed"),
    ],
)
def test_window_enforced(attended, moment, code):
    _, reg, _ = attended
    with freeze_time(moment), pytest.raises(SurveyError) as exc:
        survey_answer_submit(actor=reg.person, registration=reg, ratings=GOOD)
    assert exc.value.code == code
    assert not SurveyResponse.objects.exists()


def test_only_attendees_answer(client, attended):
    _, _, no_show = attended
    with freeze_time(DURING):
        with pytest.raises(SurveyError) as exc:
            survey_answer_submit(actor=no_show.person, registration=no_show, ratings=GOOD)
        assert exc.value.code == "not_attended"
        client.logout()
        url = reverse("events:survey_answer", args=[survey_token(no_show)])
        page = client.get(url).content.decode()
        client.post(url, form_data())
    assert "只有" in page or "Only participants" in page
    assert not SurveyResponse.objects.exists()


def test_someone_else_may_not_answer(attended, public_user):
    _, reg, _ = attended
    with freeze_time(DURING), pytest.raises(PermissionDenied):
        survey_answer_submit(actor=public_user, registration=reg, ratings=GOOD)
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("bad", ["0", "6", "x", ""])
def test_bad_ratings_named_nothing_saved(client, attended, bad):
    _, reg, _ = attended
    with freeze_time(DURING):
        with pytest.raises(SurveyError) as exc:
            survey_answer_submit(actor=reg.person, registration=reg, ratings=GOOD | {"speaker": bad})
        assert set(exc.value.message_dict) == {"speaker"}
        client.logout()
        response = client.post(reverse("events:survey_answer", args=[survey_token(reg)]), form_data(speaker=bad))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_forged_or_foreign_links_answer_404(client, attended, public_user):
    _, reg, _ = attended
    token = survey_token(reg)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    client.logout()
    with freeze_time(DURING):
        assert client.get(reverse("events:survey_answer", args=[forged])).status_code == 404
        assert client.get(reverse("events:survey_answer", args=[ticket_token(reg)])).status_code == 404
        # Logged in as someone else: the link is not theirs.
        assert fetch(client, public_user, reverse("events:survey_answer", args=[token])).status_code == 404


def test_logged_in_attendee_finds_the_survey(client, attended):
    _, reg, no_show = attended
    with freeze_time(DURING):
        mine = fetch(client, reg.person, "/events/my/").content.decode()
        surveys_page = fetch(client, reg.person, "/events/surveys/").content.decode()
        other = fetch(client, no_show.person, "/events/my/").content.decode()
    link = reverse("events:survey_answer", args=[survey_token(reg)])
    assert link in mine and link in surveys_page
    assert "/events/survey/" not in other


def test_checked_in_attendee_may_rate_during_the_session(attended):
    _, reg, _ = attended
    with freeze_time(datetime.datetime(2026, 9, 30, 15, 0, tzinfo=SH)):
        survey_answer_submit(actor=reg.person, registration=reg, ratings=GOOD)
    assert SurveyResponse.objects.filter(registration=reg).exists()
