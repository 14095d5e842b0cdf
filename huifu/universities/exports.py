"""Excel exports of university cooperation, each read through the same selector as its page
(a university exports only its own rows, a member only its own interns). Personal data in the
exports is what the pages show: name, student number, major, grade — nothing more."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huifu.core.http import require_perm
from huifu.core.spreadsheets import append, download, to_bytes, workbook

from . import figures, selectors
from .views import _year


def _sheet(title: str, header: list[str]):  # noqa: ANN202
    book = workbook()
    sheet = book.active
    sheet.title = title[:31]
    append(sheet, header)
    return book, sheet


@login_required
def mous_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view")
    book, sheet = _sheet(
        _("MOUs"),
        [
            _("University"),
            _("Title"),
            _("Signing date"),
            _("Term starts"),
            _("Term ends"),
            _("Counterpart"),
            _("Joint courses per year"),
            _("Lectures per year"),
            _("Internships per year"),
            _("Research topics per year"),
            _("Renews"),
        ],
    )
    for mou in selectors.mou_list(user=request.user).order_by("university__name_zh", "starts_on"):
        append(
            sheet,
            [
                mou.university.name_zh,
                mou.title,
                mou.signed_on,
                mou.starts_on,
                mou.ends_on,
                "；".join(str(c) for c in mou.counterparts.all()),
                mou.courses_per_year,
                mou.lectures_per_year,
                mou.internships_per_year,
                mou.research_topics_per_year,
                mou.renews.title if mou.renews_id else "",
            ],
        )
    return download(to_bytes(book), "高校合作备忘录.xlsx")


@login_required
def courses_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view")
    book, sheet = _sheet(
        _("Joint courses"),
        [
            _("University"),
            _("Course title"),
            _("Academic year"),
            _("Semester"),
            _("Term starts"),
            _("Term ends"),
            _("Teaching hours"),
            _("Lecturers"),
            _("Enrolled"),
            _("Completed"),
        ],
    )
    for course in selectors.course_list(user=request.user).order_by("university__name_zh", "starts_on"):
        append(
            sheet,
            [
                course.university.name_zh,
                course.title,
                course.academic_year,
                course.get_semester_display(),
                course.starts_on,
                course.ends_on,
                course.hours,
                "、".join(lecturer.name for lecturer in course.lecturers.all()),
                course.enrolled_count,
                course.completed_count,
            ],
        )
    return download(to_bytes(book), "合办课程.xlsx")


@login_required
def internships_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view_internships")
    book, sheet = _sheet(
        _("Internships"),
        [
            _("University"),
            _("Student number"),
            pgettext("person", "Name"),
            _("Major"),
            _("Grade"),
            _("Host"),
            _("Starts"),
            _("Ends"),
            _("Evaluation"),
        ],
    )
    for item in selectors.internship_list(user=request.user).order_by("-starts_on", "pk"):
        student = item.student
        append(
            sheet,
            [
                item.university.name_zh,
                student.student_number,
                student.name,
                student.major,
                student.grade,
                item.host_label,
                item.starts_on,
                item.ends_on,
                item.get_evaluation_display() if item.evaluation else "",
            ],
        )
    return download(to_bytes(book), "实践实习.xlsx")


@login_required
def coverage_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view")
    year = _year(request)
    cov = figures.coverage(user=request.user, year=year)
    book, sheet = _sheet(_("Coverage"), [_("Figure"), _("Value"), _("Definition")])
    for key, label in figures.FIGURE_LABELS.items():
        append(sheet, [str(label), cov.figures[key], str(figures.DEFINITIONS[key])])
    per = book.create_sheet(_("By university")[:31])
    append(per, [_("University"), _("Joint courses"), _("Hours taught"), _("Students reached (unique)")])
    for row in cov.per_university:
        append(per, [row["university"], row["courses"], row["hours"], row["students"]])
    return download(to_bytes(book), f"高校合作覆盖面-{year}.xlsx")
