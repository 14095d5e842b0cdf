"""Demo data of university cooperation: MOUs with 复旦大学, 上海财经大学 (renewed), 中国人民大学 and
西南财经大学, joint courses with enrolled students, lecture attendances, internships at the
exchange and at member companies, and the teaching materials library. Through the services, as
the system actor; safe to run twice."""

from __future__ import annotations

import datetime
from typing import IO

from django.utils import timezone

from huifu.accounts.system import system_actor
from huifu.directory.models import Department, Organisation, OrganisationKind

from . import services
from .models import Mou
from .selectors import lecture_sessions

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("子涵", "浩然", "欣怡", "宇轩", "雨桐", "梓萱", "俊杰", "思远", "嘉怡", "一鸣", "若曦", "明哲")
MAJORS = ("金融学", "金融工程", "经济学", "统计学", "会计学", "风险管理")


def _students(prefix: str, year: int, count: int, offset: int = 0) -> list[dict[str, str]]:
    rows = []
    for i in range(offset, offset + count):
        rows.append(
            {
                "student_number": f"{prefix}{year}{i:04d}",
                "name": SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)],
                "major": MAJORS[i % len(MAJORS)],
                "grade": f"{year}级",
            }
        )
    return rows


def seed(scale: int = 1, stdout: IO[str] | None = None) -> None:
    if Mou.objects.exists():
        if stdout:
            stdout.write("universities: nothing to do")
        return
    actor = system_actor()
    unis = {o.name_zh: o for o in Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY)}
    if "上海财经大学" not in unis or "复旦大学" not in unis:
        return
    year = timezone.localdate().year
    D = datetime.date
    old = services.mou_create(
        actor=actor,
        university=unis["上海财经大学"],
        title="上海期货交易所—上海财经大学投资者教育合作备忘录",
        signed_on=D(year - 4, 3, 15),
        starts_on=D(year - 4, 4, 1),
        ends_on=D(year - 1, 3, 31),
        counterparts=[("刘元春", "校长"), ("陈选娟", "金融学院院长")],
        courses_per_year=1,
        lectures_per_year=2,
        internships_per_year=4,
        research_topics_per_year=1,
    )
    sufe = services.mou_create(
        actor=actor,
        university=unis["上海财经大学"],
        title="上海期货交易所—上海财经大学投资者教育合作备忘录（续签）",
        signed_on=D(year - 1, 3, 20),
        starts_on=D(year - 1, 4, 1),
        ends_on=D(year + 2, 3, 31),
        counterparts=[("刘元春", "校长"), ("陈选娟", "金融学院院长")],
        renews=old,
        courses_per_year=2,
        lectures_per_year=2,
        internships_per_year=6,
        research_topics_per_year=2,
    )
    fudan = services.mou_create(
        actor=actor,
        university=unis["复旦大学"],
        title="上海期货交易所—复旦大学期货人才培养合作备忘录",
        signed_on=D(year - 2, 9, 1),
        starts_on=D(year - 2, 9, 1),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        counterparts=[("张军", "经济学院院长"), ("李明", "教务处处长")],
        courses_per_year=1,
        lectures_per_year=3,
        internships_per_year=3,
        research_topics_per_year=1,
        remind_working_days=20,
    )
    mous = [sufe, fudan]
    for name, title in (
        ("中国人民大学", "投资者教育纳入国民教育合作备忘录"),
        ("西南财经大学", "期货与衍生品教育合作备忘录"),
    ):
        if name in unis:
            mous.append(
                services.mou_create(
                    actor=actor,
                    university=unis[name],
                    title=f"上海期货交易所—{name}{title}",
                    signed_on=D(year, 1, 10),
                    starts_on=D(year, 1, 10),
                    ends_on=D(year + 2, 12, 31),
                    counterparts=[("王教授", "财政金融学院副院长")],
                    courses_per_year=1,
                    lectures_per_year=1,
                    internships_per_year=2,
                )
            )
    department = Department.objects.filter(kind="business").order_by("sort_order").first()
    companies = list(Organisation.objects.filter(kind=OrganisationKind.FUTURES_COMPANY).order_by("pk")[:3])
    prefixes = {sufe.pk: "SUFE", fudan.pk: "FD"}
    for mou in (sufe, fudan):
        prefix = prefixes[mou.pk]
        spring = max(mou.starts_on, D(year, 2, 24))
        course = services.course_create(
            actor=actor,
            mou=mou,
            title="期货与衍生品市场" if prefix == "SUFE" else "大宗商品风险管理实务",
            academic_year=f"{year - 1}-{year}",
            semester="spring",
            starts_on=spring,
            ends_on=min(mou.ends_on, D(year, 6, 27)),
            hours="32",
            lecturers=[
                {"kind": "exchange", "name": "周立", "hours": "8", "department": department},
                *(
                    [{"kind": "member", "name": "沈涛", "organisation": companies[0], "hours": "6"}]
                    if companies
                    else []
                ),
                {"kind": "university", "name": "陈教授", "hours": "18"},
            ],
        )
        rows = _students(prefix, year - 2, 40 * scale)
        services.course_enrol(actor=actor, course=course, rows=rows[: 30 * scale], completed=True)
        services.course_enrol(actor=actor, course=course, rows=rows[30 * scale :])
        for i, row in enumerate(rows[:4]):
            start = max(mou.starts_on, D(year, 7, 1))
            if start + datetime.timedelta(days=50) > mou.ends_on:
                start = mou.starts_on
            services.internship_create(
                actor=actor,
                mou=mou,
                student=row,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=50),
                host_department=department if i % 2 == 0 or not companies else None,
                host_company=companies[i % len(companies)] if i % 2 == 1 and companies else None,
            )
        for session in lecture_sessions(university_id=mou.university_id).order_by("date")[:2]:
            services.lecture_attendance_record(
                actor=actor,
                session=session,
                university=mou.university,
                rows=rows[:10] + _students(prefix, year - 1, 15, offset=100),
            )
    library = [
        ("syllabus", "《期货与衍生品市场》课程教学大纲", "上期所投资者教育部、上海财经大学金融学院"),
        ("textbook", "期货市场基础教程", "上海期货交易所 编"),
        ("courseware", "大宗商品风险管理课件（32学时）", "上期所投教基地"),
        ("case", "铜产业链企业套期保值教学案例", "上期所、复旦大学经济学院"),
    ]
    for kind, title, authors in library:
        material = services.material_create(actor=actor, kind=kind, title=title, authors=authors)
        first = services.edition_add(actor=actor, material=material, number=1, published_on=D(year - 3, 9, 1))
        second = services.edition_add(
            actor=actor, material=material, number=2, published_on=D(year - 1, 9, 1), changes="更新近年市场数据与新品种"
        )
        services.edition_adopt(actor=actor, edition=second, university=unis["上海财经大学"], since=D(year - 1, 9, 1))
        services.edition_adopt(actor=actor, edition=first, university=unis["复旦大学"], since=D(year - 3, 9, 1))
    if stdout:
        stdout.write(f"universities: {len(mous) + 1} MOUs, courses, students, internships, 4 materials")
