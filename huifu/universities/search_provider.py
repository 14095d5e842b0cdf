"""University cooperation in the global search: MOUs (by university or title), joint courses
(by title) and students (by number or name), each read through its list page's selector, so a
university finds only its own and a member company nothing here."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, register

from . import selectors


def _mou_hit(mou: Any) -> Hit:
    return Hit(
        title=f"{mou.university.name_zh} · {mou.title}",
        url=mou.get_absolute_url(),
        detail=f"{mou.starts_on:%Y-%m-%d} – {mou.ends_on:%Y-%m-%d}",
    )


def find_mous(*, user: Any, text: str, limit: int) -> Found:
    qs = selectors.mou_list(user=user).filter(Q(university__name_zh__icontains=text) | Q(title__icontains=text))
    return first_hits(qs, limit=limit, hit=_mou_hit)


def _course_hit(course: Any) -> Hit:
    return Hit(title=course.title, url=course.get_absolute_url(), detail=course.university.name_zh)


def find_courses(*, user: Any, text: str, limit: int) -> Found:
    return first_hits(selectors.course_list(user=user).filter(title__icontains=text), limit=limit, hit=_course_hit)


def _student_hit(student: Any) -> Hit:
    return Hit(
        title=str(student),
        url=f"{reverse('universities:student_list')}?{urlencode({'q': student.student_number})}",
        detail=student.university.name_zh,
    )


def find_students(*, user: Any, text: str, limit: int) -> Found:
    qs = selectors.student_list(user=user).filter(Q(student_number__icontains=text) | Q(name__icontains=text))
    return first_hits(qs.order_by("university_id", "student_number", "pk"), limit=limit, hit=_student_hit)


def _more(name: str) -> Any:
    return lambda text: f"{reverse(name)}?{urlencode({'q': text})}"


register(
    Provider(
        key="universities.mous",
        label=pgettext_lazy("search", "University MOUs"),
        order=95,
        perm="universities.view",
        find=find_mous,
        more_url=_more("universities:mou_list"),
    )
)
register(
    Provider(
        key="universities.courses",
        label=pgettext_lazy("search", "Joint courses"),
        order=96,
        perm="universities.view",
        find=find_courses,
        more_url=lambda text: reverse("universities:course_list"),
    )
)
register(
    Provider(
        key="universities.students",
        label=pgettext_lazy("search", "Students"),
        order=97,
        perm="universities.view",
        find=find_students,
        more_url=_more("universities:student_list"),
    )
)
