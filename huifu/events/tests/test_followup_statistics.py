"""Statistics per session and per series, the Excel export, a co-organiser's and a member
company's scope (company A never sees B's, pages and exports both ways), constant query counts."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from freezegun import freeze_time
from openpyxl import load_workbook

from huifu.core.testing.access import assert_constant_queries, assert_denied, fetch
from huifu.core.testing.factories import UserFactory, org_user
from huifu.events import services
from huifu.events.models import Audience
from huifu.events.services.surveys import QUESTION_KEYS, survey_answer_submit
from huifu.events.statistics import series_figures
from huifu.events.tickets import ticket_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
BEFORE = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=SH)
AFTER = datetime.datetime(2026, 3, 27, 10, 0, tzinfo=SH)  # both sessions ended, surveys open
DAY1, DAY2 = datetime.date(2026, 3, 19), datetime.date(2026, 3, 20)


def rate(registration, overall):
    survey_answer_submit(
        actor=registration.person, registration=registration, ratings=dict.fromkeys(QUESTION_KEYS, overall)
    )


@pytest.fixture
def world(make_session, talk_series, coordinator, dept_staff, member_a_admin, member_b_admin, university):
    """Two sessions of the monthly talk. Session 1 (co-organised by the university): public
    ``ann`` and member A's ``a1`` attend, A's ``a2`` is a no-show, ``bob`` cancels. Session 2:
    ``ann`` and B's ``b1`` attend. Ann rates 5 and 3, a1 rates 4."""
    talk_series.survey_working_days = 10
    talk_series.save()
    ann, bob = UserFactory(email="ann@example.com", full_name="安"), UserFactory(email="bob@example.com")
    a1 = org_user(member_a_admin.organisation, email="a1@alpha.example", full_name="甲一")
    a2 = org_user(member_a_admin.organisation, email="a2@alpha.example", full_name="甲二")
    b1 = org_user(member_b_admin.organisation, email="b1@beta.example", full_name="乙一")
    with freeze_time(BEFORE):
        s1 = make_session(date=DAY1, publish=True, title="第一场")
        s1.co_organisers.add(university)
        s2 = make_session(date=DAY2, publish=True, title="第二场")
        r = {
            "ann1": services.registration_create(actor=ann, session=s1, audience=Audience.INDIVIDUALS),
            "a1": services.registration_create(actor=member_a_admin, session=s1, person=a1, audience=Audience.ANALYSTS),
            "a2": services.registration_create(actor=member_a_admin, session=s1, person=a2, audience=Audience.ANALYSTS),
            "bob": services.registration_create(actor=bob, session=s1, audience=Audience.INDIVIDUALS),
            "ann2": services.registration_create(actor=ann, session=s2, audience=Audience.INDIVIDUALS),
            "b1": services.registration_create(actor=member_b_admin, session=s2, person=b1, audience=Audience.ANALYSTS),
        }
        services.registration_cancel(actor=bob, registration=r["bob"])
    for key in ("ann1", "a1", "ann2", "b1"):
        session = r[key].session
        services.checkin_record(actor=dept_staff, session=session, desk="1", token=ticket_token(r[key]))
    with freeze_time(AFTER):
        rate(r["ann1"], 5)
        rate(r["a1"], 4)
        rate(r["ann2"], 3)
    return {"s1": s1, "s2": s2, "series": talk_series, **r}


def test_figures_per_session_and_series(world, coordinator):
    with freeze_time(AFTER):
        result = series_figures(user=coordinator, series=world["series"])
    one, two = (row.figures for row in result.sessions)
    assert (one.registered, one.on_site, one.online, one.attended, one.no_shows) == (3, 2, 0, 2, 1)
    assert (two.registered, two.attended, two.no_shows) == (2, 2, 0)
    assert one.answers == 2 and one.averages["overall"] == Decimal("4.50")
    assert two.averages["speaker"] == Decimal("3.00")
    totals = result.totals
    assert (totals.registered, totals.attended, totals.no_shows, totals.answers) == (5, 4, 1, 3)
    assert totals.averages["overall"] == Decimal("4.00")
    assert (result.unique_people, result.repeat_people) == (3, 1)  # ann, a1, b1; ann came twice
    assert dict(totals.audience_rows()) == {"期货分析师": 3, "个人投资者": 2} or dict(totals.audience_rows()) == {
        "Futures analysts": 3,
        "Individual investors": 2,
    }
    assert sum(totals.participant_kinds.values()) == 5


def test_no_shows_unknown_before_the_session_ends(world, coordinator):
    with freeze_time(datetime.datetime(2026, 3, 19, 10, 0, tzinfo=SH)):
        result = series_figures(user=coordinator, series=world["series"])
    assert result.sessions[0].figures.no_shows is None and result.totals.no_shows is None


def test_statistics_page_and_export_for_staff(client, world, dept_staff):
    series = world["series"]
    with freeze_time(AFTER):
        page = fetch(client, dept_staff, f"/events/statistics/?series={series.pk}").content.decode()
        export = fetch(client, dept_staff, f"/events/statistics/export.xlsx?series={series.pk}")
    assert "第一场" in page and "第二场" in page and "4.50" in page
    book = load_workbook(io.BytesIO(export.content))
    sessions = list(book.worksheets[0].iter_rows(values_only=True))
    assert sessions[2][:8] == ("2026-03-19", "第一场", 3, 2, 0, 2, 1, 2)
    people = [row[2] for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert sorted(people) == sorted(["安", "甲一", "甲二", "安", "乙一"])


def test_co_organiser_sees_only_its_sessions(client, world, university_user, other_university_user):
    series = world["series"]
    with freeze_time(AFTER):
        page = fetch(client, university_user, f"/events/statistics/?series={series.pk}").content.decode()
        export = fetch(client, university_user, f"/events/statistics/export.xlsx?series={series.pk}")
        result = series_figures(user=university_user, series=series)
    assert "第一场" in page and "第二场" not in page
    assert [row.session.pk for row in result.sessions] == [world["s1"].pk]
    people = [
        row[2] for row in load_workbook(io.BytesIO(export.content)).worksheets[2].iter_rows(min_row=2, values_only=True)
    ]
    assert "乙一" not in people and "甲一" in people
    # Another university co-organises nothing: no statistics at all.
    assert_denied(client, other_university_user, f"/events/statistics/?series={series.pk}")
    assert_denied(client, other_university_user, f"/events/statistics/export.xlsx?series={series.pk}")


def test_statistics_denied(client, world, member_a_admin, public_user, regulator):
    for user in (member_a_admin, public_user, regulator):
        assert_denied(client, user, "/events/statistics/")
        assert_denied(client, user, "/events/statistics/export.xlsx")
    assert_denied(client, None, "/events/statistics/")


def test_member_sees_only_its_own_people_both_ways(client, world, member_a_admin, member_b_admin):
    with freeze_time(AFTER):
        page_a = fetch(client, member_a_admin, "/events/participation/").content.decode()
        page_b = fetch(client, member_b_admin, "/events/participation/").content.decode()
        export_a = fetch(client, member_a_admin, "/events/participation/export.xlsx")
        export_b = fetch(client, member_b_admin, "/events/participation/export.xlsx")
    assert "甲一" in page_a and "甲二" in page_a and "乙一" not in page_a and "安" not in page_a
    assert "乙一" in page_b and "甲一" not in page_b and "甲二" not in page_b
    rows_a = list(load_workbook(io.BytesIO(export_a.content)).active.iter_rows(min_row=2, values_only=True))
    rows_b = list(load_workbook(io.BytesIO(export_b.content)).active.iter_rows(min_row=2, values_only=True))
    assert sorted(r[3] for r in rows_a) == ["甲一", "甲二"]
    assert [r[3] for r in rows_b] == ["乙一"]
    no_show = next(r for r in rows_a if r[3] == "甲二")
    assert no_show[4:] == (None, None, "是")


def test_participation_denied(client, world, dept_staff, public_user, university_user):
    for user in (dept_staff, public_user, university_user):
        assert_denied(client, user, "/events/participation/")
        assert_denied(client, user, "/events/participation/export.xlsx")
    assert_denied(client, None, "/events/participation/")


def test_session_detail_shows_the_figures(client, world, coordinator):
    with freeze_time(AFTER):
        page = fetch(client, coordinator, world["s1"].get_absolute_url()).content.decode()
    assert "4.50" in page


def test_statistics_queries_constant(client, make_session, world, coordinator, dept_staff):
    series = world["series"]
    people = iter(UserFactory(email=f"grow{i}@example.com") for i in range(12))

    def grow():
        with freeze_time(BEFORE):
            for _ in range(2):
                session = make_session(date=DAY2, publish=True, title="加场")
                for _ in range(3):
                    reg = services.registration_create(actor=next(people), session=session)
                    services.checkin_record(actor=dept_staff, session=session, desk="1", token=ticket_token(reg))

    with freeze_time(AFTER):
        fetch(client, coordinator, "/events/")
        assert_constant_queries(client, f"/events/statistics/?series={series.pk}", grow)


def test_participation_queries_constant(client, make_session, world, member_a_admin):
    colleagues = iter(org_user(member_a_admin.organisation, email=f"c{i}@alpha.example") for i in range(6))

    def grow():
        with freeze_time(BEFORE):
            session = make_session(date=DAY2, publish=True, title="加场")
            for _ in range(3):
                services.registration_create(actor=member_a_admin, session=session, person=next(colleagues))

    with freeze_time(AFTER):
        fetch(client, member_a_admin, "/events/")
        assert_constant_queries(client, "/events/participation/", grow)


def test_export_is_audited_and_cells_are_text(client, world, coordinator):
    from huifu.audit.models import AuditEvent

    with freeze_time(AFTER):
        fetch(client, coordinator, f"/events/statistics/export.xlsx?series={world['series'].pk}")
    assert AuditEvent.objects.filter(action="export", target_id=str(world["series"].pk)).exists()


def test_service_permission_of_answer(world, public_user):
    with freeze_time(AFTER), pytest.raises(PermissionDenied):
        survey_answer_submit(actor=public_user, registration=world["a2"], ratings=dict.fromkeys(QUESTION_KEYS, 5))
