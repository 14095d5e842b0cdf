"""Renewal reminders across National Day, obligations against deliveries, and unique students
counted once across a course, a lecture and an internship."""

from __future__ import annotations

import datetime

import pytest

from huifu.accounts.system import system_actor
from huifu.events.models import Series, Session
from huifu.notifications.models import Notification
from huifu.universities import figures, reminders, services
from huifu.workdays.services import day_info

from .conftest import make_course, make_mou

pytestmark = pytest.mark.django_db
D = datetime.date


def test_renewal_reminder_skips_national_day(official_calendar, uni_a, uni_a_admin, coordinator):
    # 2025: National Day and Mid-autumn 10-01…10-08 off; 09-28 (Sun) and 10-11 (Sat) are worked.
    mou = make_mou(uni_a, start=D(2023, 10, 11), end=D(2025, 10, 10), remind_working_days=3)
    day = reminders.renewal_reminder_day(mou)
    # Counting back from Fri 10-10: 10-09 (1), the holiday is skipped, 09-30 (2), 09-29 (3).
    assert day == D(2025, 9, 29)
    naive = D(2025, 10, 10) - datetime.timedelta(days=3)
    assert not day_info(naive).is_working_day  # a plain calendar count would land in the holiday
    assert reminders.renewal_reminders_send(actor=system_actor(), today=D(2025, 9, 28)) == 0
    assert reminders.renewal_reminders_send(actor=system_actor(), today=D(2025, 9, 29)) == 1
    # once only
    assert reminders.renewal_reminders_send(actor=system_actor(), today=D(2025, 10, 9)) == 0
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {coordinator.pk, uni_a_admin.pk}
    assert "2025-10-10" in Notification.objects.first().text


def test_a_renewed_mou_is_not_reminded(official_calendar, uni_a, coordinator):
    mou = make_mou(uni_a, start=D(2023, 10, 11), end=D(2025, 10, 10), remind_working_days=3)
    make_mou(uni_a, start=D(2025, 10, 11), end=D(2028, 10, 10), renews=mou, title="续签")
    assert reminders.renewal_reminders_send(actor=system_actor(), today=D(2025, 9, 30)) == 0
    assert not Notification.objects.exists()


def _lecture(university, day, title="走进期货市场"):
    series, _ = Series.objects.get_or_create(year=day.year, title_zh="高校讲座", defaults={"kind": "training"})
    session = Session.objects.create(
        series=series,
        title=title,
        date=day,
        topic_type="market_outlook",
        capacity=200,
        state="published",
        published_at=datetime.datetime(day.year, 1, 1, tzinfo=datetime.UTC),
    )
    session.co_organisers.add(university)
    return session


def test_unique_students_across_course_lecture_and_internship(
    coordinator, uni_a, uni_b, mou_a, mou_b, dept_business, org_a
):
    course = make_course(mou_a)
    services.course_enrol(
        actor=system_actor(),
        course=course,
        rows=[{"student_number": "2023001", "name": "张三"}, {"student_number": "2023002", "name": "李四"}],
    )
    lecture = _lecture(uni_a, D(2025, 11, 5))
    services.lecture_attendance_record(
        actor=system_actor(),
        session=lecture,
        university=uni_a,
        rows=[{"student_number": "2023001"}, {"student_number": "2023003", "name": "王五"}],
    )
    services.internship_create(
        actor=system_actor(),
        mou=mou_a,
        student={"student_number": "2023001"},
        starts_on=D(2025, 7, 1),
        ends_on=D(2025, 8, 31),
        host_company=org_a,
    )
    # the same student number at another university is another student
    services.internship_create(
        actor=system_actor(),
        mou=mou_b,
        student={"student_number": "2023001", "name": "张三"},
        starts_on=D(2025, 7, 1),
        ends_on=D(2025, 8, 31),
        host_department=dept_business,
    )
    cov = figures.coverage(user=coordinator, year=2025)
    assert cov.figures["students"] == 4  # 张三@A, 李四, 王五, 张三@B
    assert cov.figures["participations"] == 2 + 2 + 2
    assert cov.figures["universities"] == 2
    assert cov.figures["provinces"] == 1
    assert cov.figures["courses"] == 1 and cov.figures["hours"] == 32
    assert cov.figures["lectures"] == 1
    per = {row["university"]: row["students"] for row in cov.per_university}
    assert per == {"上海财经大学": 3, "复旦大学": 1}
    # every figure has its definition
    assert set(cov.figures) - {"completed"} <= set(figures.DEFINITIONS)


def test_lecture_attendance_twice_is_refused(uni_a, mou_a):
    lecture = _lecture(uni_a, D(2025, 11, 5))
    services.lecture_attendance_record(
        actor=system_actor(), session=lecture, university=uni_a, rows=[{"student_number": "1"}]
    )
    with pytest.raises(Exception) as exc:
        services.lecture_attendance_record(
            actor=system_actor(),
            session=lecture,
            university=uni_a,
            rows=[{"student_number": "2"}, {"student_number": "1"}],
        )
    assert "1" in str(exc.value)
    assert lecture.student_attendances.count() == 1


def test_lecture_of_another_university_is_refused(uni_a, uni_b, mou_a):
    lecture = _lecture(uni_b, D(2025, 11, 5))
    with pytest.raises(Exception):
        services.lecture_attendance_record(
            actor=system_actor(), session=lecture, university=uni_a, rows=[{"student_number": "1"}]
        )


def test_university_sees_only_its_own_coverage(uni_a_user, mou_a, mou_b):
    make_course(mou_a)
    make_course(mou_b, title="衍生品实务")
    cov = figures.coverage(user=uni_a_user, year=2025)
    assert cov.figures["courses"] == 1 and cov.figures["universities"] == 1
    assert [row["university"] for row in cov.per_university] == ["上海财经大学"]


def test_obligations_planned_against_delivered(uni_a, mou_a, dept_business):
    make_course(mou_a)
    _lecture(uni_a, D(2025, 11, 5))
    _lecture(uni_a, D(2024, 11, 5), title="MOU 之前")  # outside the term: not counted
    services.internship_create(
        actor=system_actor(),
        mou=mou_a,
        student={"student_number": "7"},
        starts_on=D(2025, 7, 1),
        ends_on=D(2025, 8, 31),
        host_department=dept_business,
    )
    rows = {row.year: row for row in figures.obligations(mou_a)}
    assert sorted(rows) == [2025, 2026, 2027]
    got = {key: (planned, delivered) for key, _l, planned, delivered in rows[2025].figures}
    assert got == {"courses": (1, 1), "lectures": (2, 1), "internships": (2, 1), "research_topics": (1, 0)}
    assert rows[2025].behind
