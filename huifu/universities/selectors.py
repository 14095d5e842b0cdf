"""Reads of university cooperation, scoped by the user: one selector per model.

Scope (the same for pages, API, exports, search, home cards and files):

* exchange staff: everything;
* a university's users: their own university's MOUs, courses, students, internships,
  lecture attendances and edition adoptions;
* a member company's users: only the internships their company hosts (and those interns);
* anyone else: nothing.

"Not yours" answers 404 exactly like "does not exist".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from huifu.accounts.predicates import is_member_user, is_staff_user

from .models import (
    CourseEnrolment,
    EditionAdoption,
    Internship,
    JointCourse,
    LectureAttendance,
    MaterialEdition,
    Mou,
    Student,
    TeachingMaterial,
)
from .permissions import is_university_user

FILE_PURPOSES = ("university_mou", "university_syllabus", "teaching_material")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("not found") from None


def own_university_id(user: Any) -> int | None:
    """The university a university user acts for, else None."""
    return user.organisation_id if is_university_user(user) else None


def _by_university(qs: QuerySet, user: Any, field: str = "university_id") -> QuerySet:
    if is_staff_user(user):
        return qs
    university_id = own_university_id(user)
    if university_id is not None:
        return qs.filter(**{field: university_id})
    return qs.none()


# --- MOUs -------------------------------------------------------------------------------------


def mou_list(*, user: Any) -> QuerySet[Mou]:
    return _by_university(
        Mou.objects.select_related("university", "renews", "owner").prefetch_related("counterparts"), user
    ).select_related("renewal")


def mou_get(*, user: Any, mou_id: Any) -> Mou:
    mou = mou_list(user=user).filter(pk=_int(mou_id)).first()
    if mou is None:
        raise Http404("MOU not found")
    return mou


# --- courses ----------------------------------------------------------------------------------


def course_list(*, user: Any) -> QuerySet[JointCourse]:
    return _by_university(
        JointCourse.objects.select_related("university", "mou", "syllabus")
        .prefetch_related("lecturers__organisation", "lecturers__department")
        .annotate(
            enrolled_count=Count("enrolments", distinct=True),
            completed_count=Count("enrolments", filter=Q(enrolments__completed=True), distinct=True),
        )
        .order_by("-starts_on", "title", "pk"),
        user,
    )


def course_get(*, user: Any, course_id: Any) -> JointCourse:
    course = course_list(user=user).filter(pk=_int(course_id)).first()
    if course is None:
        raise Http404("course not found")
    return course


def enrolment_list(*, user: Any) -> QuerySet[CourseEnrolment]:
    return _by_university(
        CourseEnrolment.objects.select_related("student", "course"), user, field="course__university_id"
    )


# --- students, internships, lectures ----------------------------------------------------------


def student_list(*, user: Any) -> QuerySet[Student]:
    """Students of the user's university (staff: all). A member company sees the students it
    hosts as interns, nothing else."""
    qs = Student.objects.select_related("university")
    if is_staff_user(user):
        return qs
    university_id = own_university_id(user)
    if university_id is not None:
        return qs.filter(university_id=university_id)
    if is_member_user(user) and user.organisation_id:
        return qs.filter(pk__in=Internship.objects.filter(host_company_id=user.organisation_id).values("student_id"))
    return qs.none()


def student_get(*, user: Any, student_id: Any) -> Student:
    student = student_list(user=user).filter(pk=_int(student_id)).first()
    if student is None:
        raise Http404("student not found")
    return student


def internship_list(*, user: Any) -> QuerySet[Internship]:
    qs = Internship.objects.select_related("student", "university", "mou", "host_department", "host_company")
    if is_staff_user(user):
        return qs
    university_id = own_university_id(user)
    if university_id is not None:
        return qs.filter(university_id=university_id)
    if is_member_user(user) and user.organisation_id:
        return qs.filter(host_company_id=user.organisation_id)
    return qs.none()


def internship_get(*, user: Any, internship_id: Any) -> Internship:
    internship = internship_list(user=user).filter(pk=_int(internship_id)).first()
    if internship is None:
        raise Http404("internship not found")
    return internship


def lecture_attendance_list(*, user: Any) -> QuerySet[LectureAttendance]:
    return _by_university(
        LectureAttendance.objects.select_related("student", "session"), user, field="student__university_id"
    )


def lecture_sessions(*, university_id: int | None = None):  # noqa: ANN201
    """Investor-education sessions that count as lectures: published (not draft, not cancelled)
    sessions co-organised by a university (``university_id``: that one)."""
    from huifu.events.models import Session, SessionState

    qs = Session.objects.filter(state=SessionState.PUBLISHED)
    if university_id is not None:
        return qs.filter(co_organisers=university_id)
    return qs.filter(co_organisers__kind="university")


# --- teaching materials -----------------------------------------------------------------------


def material_list(*, user: Any) -> QuerySet[TeachingMaterial]:
    """The library is the exchange's: staff and universities read every material; which
    universities use which edition is shown through ``adoption_list`` (own only)."""
    if not (is_staff_user(user) or is_university_user(user)):
        return TeachingMaterial.objects.none()
    return TeachingMaterial.objects.annotate(edition_count=Count("editions")).order_by("kind", "title", "pk")


def material_get(*, user: Any, material_id: Any) -> TeachingMaterial:
    material = material_list(user=user).filter(pk=_int(material_id)).first()
    if material is None:
        raise Http404("material not found")
    return material


def edition_list(*, user: Any) -> QuerySet[MaterialEdition]:
    return MaterialEdition.objects.filter(material__in=material_list(user=user)).select_related("material", "file")


def adoption_list(*, user: Any) -> QuerySet[EditionAdoption]:
    return _by_university(EditionAdoption.objects.select_related("university", "edition", "material"), user)


# --- files ------------------------------------------------------------------------------------


def university_file_readable(user: Any, stored_file: Any) -> bool:
    """Files checker: an MOU's agreement or a course's syllabus with the record; a material
    edition's file for anyone who reads the library."""
    if stored_file.purpose == "teaching_material":
        return edition_list(user=user).filter(file_id=stored_file.pk).exists()
    if stored_file.purpose == "university_mou":
        return mou_list(user=user).filter(agreement_id=stored_file.pk).exists()
    if stored_file.purpose == "university_syllabus":
        return course_list(user=user).filter(syllabus_id=stored_file.pk).exists()
    return False


def hours_taught(courses: QuerySet[JointCourse]):  # noqa: ANN201
    return courses.aggregate(total=Sum("hours"))["total"] or 0
