"""Figures of university cooperation: MOU obligations against what was delivered, and the
coverage of a year. Every figure is computed from the records (never typed in) and carries
its written definition (``DEFINITIONS``), shown beside it on the page and in the export.

Student identity: a student is one ``Student`` row — university + student number. A student
reached by a course, a lecture and an internship in one year is one unique student and three
participations. Lecture attendees count only when recorded as students
(``LectureAttendance``); people who registered for a talk without a student number are not
students reached.

All readers pass querysets already scoped by ``selectors`` (a university sees only its own
figures); each function costs a constant number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import CourseEnrolment, Internship, JointCourse, LectureAttendance, Mou

OBLIGATIONS = ("courses", "lectures", "internships", "research_topics")

OBLIGATION_LABELS = {
    "courses": _("Joint courses"),
    "lectures": _("Lectures"),
    "internships": _("Internships"),
    "research_topics": _("Research topics"),
}

OBLIGATION_DEFINITIONS = {
    "courses": _("Joint courses of the MOU whose term starts in the year."),
    "lectures": _(
        "Published investor-education sessions (not draft or cancelled) dated in the year and "
        "co-organised by the university."
    ),
    "internships": _("Internships of the MOU that start in the year."),
    "research_topics": _(
        "Research topics of the university in the year's research projects, approved and in progress "
        "or accepted (incentives research projects)."
    ),
}

DEFINITIONS = {
    "universities": _("Universities with an MOU in force on at least one day of the year."),
    "provinces": _("Provinces (CSRC regions) of those universities, each counted once."),
    "courses": _("Joint courses whose term starts in the year."),
    "hours": _("Teaching hours of those courses, added up (hours of a course, not per student)."),
    "lectures": _("Published sessions dated in the year co-organised by a university."),
    "students": _(
        "Unique students reached in the year by a course (term starting in the year), a lecture "
        "(dated in the year, student recorded) or an internship (starting in the year). A student is "
        "a university + student number and counts once, however many of these reached them."
    ),
    "participations": _(
        "Course enrolments + lecture attendances + internships in the year: a student reached three "
        "times counts three times here."
    ),
    "enrolments": _("Course enrolments in the year (completed ones in brackets)."),
    "attendances": _("Students recorded as attending a lecture in the year."),
    "internships": _("Internships starting in the year."),
}


@dataclass
class ObligationRow:
    year: int
    figures: list[tuple[str, Any, int, int]] = field(default_factory=list)  # key, label, planned, delivered

    @property
    def behind(self) -> bool:
        return any(delivered < planned for _key, _label, planned, delivered in self.figures)


def _term_years(mou: Mou) -> list[int]:
    return list(range(mou.starts_on.year, mou.ends_on.year + 1))


def delivered_by_mou(mous: list[Mou]) -> dict[tuple[int, int], dict[str, int]]:
    """{(mou id, year): {obligation: delivered}} for ``mous``, in four queries."""
    from huifu.incentives.models import Participation, ProjectKind
    from huifu.incentives.research import DELIVERED_STATES

    result: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(OBLIGATIONS, 0))
    if not mous:
        return result
    ids = [m.pk for m in mous]
    for row in (
        JointCourse.objects.filter(mou_id__in=ids)
        .annotate(y=ExtractYear("starts_on"))
        .values("mou_id", "y")
        .annotate(n=Count("pk"))
    ):
        result[(row["mou_id"], row["y"])]["courses"] = row["n"]
    for row in (
        Internship.objects.filter(mou_id__in=ids)
        .annotate(y=ExtractYear("starts_on"))
        .values("mou_id", "y")
        .annotate(n=Count("pk"))
    ):
        result[(row["mou_id"], row["y"])]["internships"] = row["n"]
    by_university: dict[int, list[Mou]] = defaultdict(list)
    for mou in mous:
        by_university[mou.university_id].append(mou)

    def _mou_for(university_id: int, day_or_year: Any) -> list[Mou]:
        return by_university.get(university_id, [])

    lectures = (
        selectors.lecture_sessions()
        .filter(co_organisers__in=list(by_university))
        .values("co_organisers", "date")
        .order_by()
    )
    for row in lectures:
        for mou in _mou_for(row["co_organisers"], row["date"]):
            if mou.starts_on <= row["date"] <= mou.ends_on:
                result[(mou.pk, row["date"].year)]["lectures"] += 1
    # Research topics: the definition is incentives.research's (DELIVERED_STATES); grouped here
    # for all universities at once instead of one call of delivered_research_topics per year.
    for row in (
        Participation.objects.filter(
            project__kind=ProjectKind.RESEARCH, organisation_id__in=list(by_university), status__in=DELIVERED_STATES
        )
        .values("organisation_id", "project__year")
        .annotate(n=Count("pk"))
    ):
        for mou in by_university.get(row["organisation_id"], []):
            if mou.starts_on.year <= row["project__year"] <= mou.ends_on.year:
                result[(mou.pk, row["project__year"])]["research_topics"] = row["n"]
    return result


def obligations(mou: Mou, delivered: dict[tuple[int, int], dict[str, int]] | None = None) -> list[ObligationRow]:
    """Planned against delivered, per calendar year of the MOU's term."""
    delivered = delivered if delivered is not None else delivered_by_mou([mou])
    planned = {
        "courses": mou.courses_per_year,
        "lectures": mou.lectures_per_year,
        "internships": mou.internships_per_year,
        "research_topics": mou.research_topics_per_year,
    }
    rows = []
    for year in _term_years(mou):
        got = delivered.get((mou.pk, year), dict.fromkeys(OBLIGATIONS, 0))
        rows.append(
            ObligationRow(
                year=year,
                figures=[(key, OBLIGATION_LABELS[key], planned[key], got[key]) for key in OBLIGATIONS],
            )
        )
    return rows


def behind_in_year(mou: Mou, delivered: dict, year: int) -> bool:
    """True when, in ``year`` (of the term), something planned was not yet delivered."""
    for row in obligations(mou, delivered):
        if row.year == year:
            return row.behind
    return False


# --- coverage ---------------------------------------------------------------------------------


@dataclass
class Coverage:
    year: int
    figures: dict[str, Any]
    per_university: list[dict[str, Any]]


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def coverage(*, user: Any, year: int) -> Coverage:
    """The year's coverage as the user may see it (staff: all universities; a university: its own)."""
    first, last = _year_bounds(year)
    mous = selectors.mou_list(user=user).filter(starts_on__lte=last, ends_on__gte=first)
    uni_rows = {
        row["university_id"]: row
        for row in mous.values("university_id", "university__name_zh", "university__region").distinct().order_by()
    }
    courses: QuerySet[JointCourse] = JointCourse.objects.filter(
        pk__in=selectors.course_list(user=user).filter(starts_on__year=year).values("pk")
    )
    enrolments = CourseEnrolment.objects.filter(course__in=courses)
    attendances = LectureAttendance.objects.filter(
        pk__in=selectors.lecture_attendance_list(user=user).filter(session__date__year=year).values("pk")
    )
    internships = Internship.objects.filter(
        pk__in=selectors.internship_list(user=user).filter(starts_on__year=year).values("pk")
    )
    lectures = selectors.lecture_sessions().filter(date__year=year)
    own = selectors.own_university_id(user)
    if own is not None:
        lectures = lectures.filter(co_organisers=own)

    student_ids = (
        set(enrolments.values_list("student_id", flat=True))
        | set(attendances.values_list("student_id", flat=True))
        | set(internships.values_list("student_id", flat=True))
    )
    n_enrol = enrolments.aggregate(n=Count("pk"), done=Count("pk", filter=Q(completed=True)))
    n_att = attendances.count()
    n_int = internships.count()
    course_fig = courses.aggregate(n=Count("pk"), hours=Sum("hours"))

    # Per university: students per source and unique students, three grouped queries.
    per: dict[int, dict[str, Any]] = defaultdict(lambda: {"students": set(), "courses": 0, "hours": Decimal(0)})
    for uid, sid in enrolments.values_list("course__university_id", "student_id"):
        per[uid]["students"].add(sid)
    for uid, sid in attendances.values_list("student__university_id", "student_id"):
        per[uid]["students"].add(sid)
    for uid, sid in internships.values_list("university_id", "student_id"):
        per[uid]["students"].add(sid)
    for row in courses.values("university_id").annotate(n=Count("pk"), h=Sum("hours")).order_by():
        per[row["university_id"]]["courses"] = row["n"]
        per[row["university_id"]]["hours"] = row["h"] or Decimal(0)
    names = dict(
        selectors.mou_list(user=user).values_list("university_id", "university__name_zh").distinct().order_by()
    )
    per_university = sorted(
        (
            {
                "university": names.get(uid, "") or str(uid),
                "courses": data["courses"],
                "hours": data["hours"],
                "students": len(data["students"]),
            }
            for uid, data in per.items()
        ),
        key=lambda r: (-r["students"], r["university"]),
    )
    figures = {
        "universities": len(uni_rows),
        "provinces": len({r["university__region"] for r in uni_rows.values() if r["university__region"]}),
        "courses": course_fig["n"] or 0,
        "hours": course_fig["hours"] or Decimal(0),
        "lectures": lectures.values("pk").distinct().count(),
        "students": len(student_ids),
        "participations": (n_enrol["n"] or 0) + n_att + n_int,
        "enrolments": n_enrol["n"] or 0,
        "completed": n_enrol["done"] or 0,
        "attendances": n_att,
        "internships": n_int,
    }
    return Coverage(year=year, figures=figures, per_university=per_university)


FIGURE_LABELS = {
    "universities": _("Universities"),
    "provinces": _("Provinces"),
    "courses": _("Joint courses"),
    "hours": _("Hours taught"),
    "lectures": _("Lectures"),
    "students": _("Students reached (unique)"),
    "participations": _("Participations (total)"),
    "enrolments": _("Course enrolments"),
    "attendances": _("Lecture attendances"),
    "internships": _("Internships"),
}


# --- what needs attention (home card, list filters) -------------------------------------------


def mous_to_renew(mous: QuerySet[Mou], *, today: datetime.date) -> list[int]:
    """Ids of ``mous`` (a scoped queryset) not renewed whose reminder day has come and whose
    term has not ended (one query; the reminder day is the working-day calendar's)."""
    from .reminders import HORIZON_DAYS, renewal_reminder_day

    candidates = (
        mous.filter(
            renewal__isnull=True, ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=HORIZON_DAYS)
        )
        .select_related(None)
        .prefetch_related(None)
        .only("pk", "ends_on", "remind_working_days")
    )
    return [mou.pk for mou in candidates if renewal_reminder_day(mou) <= today]


def mous_behind(mous: QuerySet[Mou], *, today: datetime.date) -> list[int]:
    """Ids of ``mous`` in force today that delivered less than planned this year so far."""
    in_force = list(
        mous.filter(starts_on__lte=today, ends_on__gte=today).order_by().select_related(None).prefetch_related(None)
    )
    delivered = delivered_by_mou(in_force)
    return [mou.pk for mou in in_force if behind_in_year(mou, delivered, today.year)]
