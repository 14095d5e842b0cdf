"""Writing university cooperation: the named operations, one transaction and one audit entry
each. Bad input raises django ``ValidationError`` naming the field; nothing is saved then.

Rules the services hold (the database holds the rest):

* MOU terms of one university never overlap, except a renewal with the MOU it renews
  (``renews``); checked under a lock of the university row, so two concurrent registrations
  cannot both pass.
* A joint course's term and an internship's dates lie inside their MOU's term.
* A student is identified by university + student number; the same student is never entered
  twice (a second enrolment, lecture attendance of the same student is refused).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_record, audit_update, snapshot
from huifu.core.permissions import require
from huifu.directory.models import Department, Organisation, OrganisationKind

from .models import (
    CourseEnrolment,
    CourseLecturer,
    EditionAdoption,
    Internship,
    InternshipEvaluation,
    JointCourse,
    LectureAttendance,
    LecturerKind,
    MaterialEdition,
    Mou,
    MouCounterpart,
    Semester,
    Student,
    TeachingMaterial,
)

MOU_FIELDS = (
    "title",
    "signed_on",
    "starts_on",
    "ends_on",
    "courses_per_year",
    "lectures_per_year",
    "internships_per_year",
    "research_topics_per_year",
    "remind_working_days",
    "notes",
)


def _d(day: datetime.date) -> str:
    return day.isoformat()


def _store(upload: Any, *, actor: Any, organisation: Any, purpose: str) -> Any:
    if not upload:
        return None
    from huifu.files.services import file_store

    return file_store(upload=upload, actor=actor, organisation=organisation, purpose=purpose)


def _lock_university(university: Any) -> Organisation:
    if university is None or getattr(university, "kind", None) != OrganisationKind.UNIVERSITY:
        raise ValidationError({"university": _("Choose a university.")})
    return Organisation.objects.select_for_update().get(pk=university.pk)


def parse_counterparts(text: str) -> list[tuple[str, str]]:
    """One person a line, "name, role" (a Chinese or English comma, or a tab or two spaces)."""
    people: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in ("，", ",", "\t", "  ", "、"):
            if sep in line:
                name, role = line.split(sep, 1)
                break
        else:
            name, role = line, ""
        people.append((name.strip()[:60], role.strip()[:100]))
    return people


# --- MOUs -------------------------------------------------------------------------------------


def _check_mou(*, university: Organisation, values: dict[str, Any], renews: Mou | None, mou: Mou | None) -> None:
    errors: dict[str, str] = {}
    starts, ends, signed = values.get("starts_on"), values.get("ends_on"), values.get("signed_on")
    if not values.get("title"):
        errors["title"] = _("Give the MOU a title.")
    if not (starts and ends and signed):
        errors["starts_on"] = _("Give the signing date and the term.")
        raise ValidationError(errors)
    if ends <= starts:
        errors["ends_on"] = _("The term must end after it starts.")
    if signed > ends:
        errors["signed_on"] = _("The signing date lies after the end of the term.")
    days = values.get("remind_working_days")
    if days is not None and not 1 <= int(days) <= 120:
        errors["remind_working_days"] = _("Remind between 1 and 120 working days before the end.")
    if renews is not None:
        if renews.university_id != university.pk:
            errors["renews"] = _("A renewal continues an MOU of the same university.")
        elif mou is not None and renews.pk == mou.pk:
            errors["renews"] = _("An MOU cannot renew itself.")
        elif Mou.objects.filter(renews=renews).exclude(pk=getattr(mou, "pk", None)).exists():
            errors["renews"] = _("The MOU “%(title)s” has already been renewed.") % {"title": renews.title}
        elif ends <= renews.ends_on or starts < renews.starts_on:
            errors["ends_on"] = _("A renewal must run beyond the MOU it renews (which ends on %(end)s).") % {
                "end": _d(renews.ends_on)
            }
    if errors:
        raise ValidationError(errors)
    clash = (
        Mou.objects.filter(university=university, starts_on__lte=ends, ends_on__gte=starts)
        .exclude(pk=getattr(mou, "pk", None))
        .exclude(pk=getattr(renews, "pk", None))
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        message = _(
            "The term overlaps the MOU “%(title)s” (%(start)s – %(end)s) with the same university. "
            "If this MOU continues it, register it as its renewal; otherwise change the term."
        ) % {"title": clash.title, "start": _d(clash.starts_on), "end": _d(clash.ends_on)}
        raise ValidationError({"starts_on": ValidationError(message, code="mou_overlap")})


@transaction.atomic
def mou_create(
    *,
    actor: Any,
    university: Organisation,
    counterparts: Iterable[tuple[str, str]] = (),
    renews: Mou | None = None,
    owner: Any | None = None,
    agreement: Any | None = None,
    **values: Any,
) -> Mou:
    """Register an MOU. Refuses a term that overlaps another MOU of the same university unless
    this one renews it (``renews``), a renewal of another university's MOU or of an MOU
    already renewed, and a renewal that does not run beyond its predecessor."""
    require(actor, "universities.manage")
    university = _lock_university(university)
    values = {k: v for k, v in values.items() if k in MOU_FIELDS}
    if isinstance(values.get("title"), str):
        values["title"] = values["title"].strip()
    _check_mou(university=university, values=values, renews=renews, mou=None)
    mou = Mou(university=university, renews=renews, owner=owner, created_by=actor, **values)
    mou.agreement = _store(agreement, actor=actor, organisation=university, purpose="university_mou")
    mou.full_clean(exclude=["university", "renews", "owner", "agreement", "created_by"])
    mou.save()
    MouCounterpart.objects.bulk_create(
        MouCounterpart(mou=mou, name=name, role=role, position=i) for i, (name, role) in enumerate(counterparts) if name
    )
    audit_create(actor=actor, target=mou, message="renewal" if renews else "")
    return mou


@transaction.atomic
def mou_update(*, actor: Any, mou: Mou, counterparts: Iterable[tuple[str, str]] | None = None, **values: Any) -> Mou:
    """Change an MOU's dates, obligations or notes, with the same checks as ``mou_create``; a
    course or internship the new term would leave outside is refused."""
    require(actor, "universities.manage", mou)
    university = _lock_university(mou.university)
    mou = Mou.objects.select_for_update().get(pk=mou.pk)
    before = snapshot(mou, MOU_FIELDS)
    values = {k: v for k, v in values.items() if k in MOU_FIELDS}
    merged = {**before, **values}
    _check_mou(university=university, values=merged, renews=mou.renews, mou=mou)
    outside = mou.courses.filter(Q(starts_on__lt=merged["starts_on"]) | Q(ends_on__gt=merged["ends_on"])).first()
    outside_i = mou.internships.filter(Q(starts_on__lt=merged["starts_on"]) | Q(ends_on__gt=merged["ends_on"])).first()
    if outside or outside_i:
        raise ValidationError({"ends_on": _("Courses or internships of this MOU would fall outside the new term.")})
    for key, value in values.items():
        setattr(mou, key, value)
    if "ends_on" in values or "remind_working_days" in values:
        mou.renewal_reminded_at = None
    mou.save()
    if counterparts is not None:
        mou.counterparts.all().delete()
        MouCounterpart.objects.bulk_create(
            MouCounterpart(mou=mou, name=name, role=role, position=i)
            for i, (name, role) in enumerate(counterparts)
            if name
        )
    audit_update(actor=actor, target=mou, before=before)
    return mou


# --- students ---------------------------------------------------------------------------------


def _clean_number(number: Any) -> str:
    return "".join(str(number or "").split()).upper()[:32]


def student_register(
    *, actor: Any, university: Organisation, student_number: str, name: str = "", major: str = "", grade: str = ""
) -> Student:
    """The student with this number at this university, created if new (name, major and
    grade filled in where empty). Identity: university + student number."""
    require(actor, "universities.manage_students")
    if getattr(actor, "kind", "") == "partner" and actor.organisation_id != university.pk:
        raise ValidationError({"university": _("You may only add students of your own university.")})
    number = _clean_number(student_number)
    if not number:
        raise ValidationError({"student_number": _("Give the student number.")})
    with transaction.atomic():
        student = (
            Student.objects.select_for_update()
            .filter(university=university, student_number=number, erased_at__isnull=True)
            .first()
        )
        if student is None:
            student = Student.objects.create(
                university=university,
                student_number=number,
                name=(name or "").strip()[:60],
                major=(major or "").strip()[:100],
                grade=(grade or "").strip()[:20],
            )
            audit_create(actor=actor, target=student)
        else:
            changed = False
            for field, value in (("name", name), ("major", major), ("grade", grade)):
                if value and not getattr(student, field):
                    setattr(student, field, value.strip())
                    changed = True
            if changed:
                student.save(update_fields=["name", "major", "grade"])
    return student


def _touch(student: Student, day: datetime.date) -> None:
    if student.last_active_on is None or student.last_active_on < day:
        Student.objects.filter(pk=student.pk).update(last_active_on=day)
        student.last_active_on = day


def parse_student_lines(text: str) -> list[dict[str, str]]:
    """ "student number, name, major, grade" a line (Chinese or English commas or tabs)."""
    rows = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("，", ",").replace("\t", ",").split(",")]
        parts += [""] * (4 - len(parts))
        rows.append({"student_number": parts[0], "name": parts[1], "major": parts[2], "grade": parts[3]})
    return rows


# --- courses ----------------------------------------------------------------------------------


def _check_course(values: dict[str, Any], mou: Mou) -> None:
    errors: dict[str, str] = {}
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the course a title.")
    if values.get("semester") not in Semester.values:
        errors["semester"] = _("Choose the semester.")
    try:
        hours = Decimal(str(values.get("hours")))
        if hours <= 0 or hours >= 10000:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["hours"] = _("Give the teaching hours as a positive number, e.g. 32 or 1.5.")
    if not (starts and ends):
        errors["starts_on"] = _("Give the term's first and last day.")
    elif ends < starts:
        errors["ends_on"] = _("The term must end after it starts.")
    elif not mou.covers(starts, ends):
        errors["starts_on"] = _(
            "The course term (%(start)s – %(end)s) lies outside the term of the MOU “%(mou)s” "
            "(%(mou_start)s – %(mou_end)s). Choose the MOU in force, or change the term."
        ) % {
            "start": _d(starts),
            "end": _d(ends),
            "mou": mou.title,
            "mou_start": _d(mou.starts_on),
            "mou_end": _d(mou.ends_on),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def course_create(
    *,
    actor: Any,
    mou: Mou,
    lecturers: Iterable[dict[str, Any]] = (),
    syllabus: Any | None = None,
    **values: Any,
) -> JointCourse:
    """A joint course of ``mou``'s university in one term; the term must lie inside the MOU's.
    ``lecturers``: dicts with ``kind`` (exchange / member / university), ``name``, and
    ``department`` or ``organisation`` (a member company), ``hours``."""
    require(actor, "universities.manage")
    _check_course(values, mou)
    course = JointCourse(
        mou=mou,
        university_id=mou.university_id,
        title=values["title"].strip(),
        academic_year=(values.get("academic_year") or "").strip()[:9],
        semester=values["semester"],
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        hours=Decimal(str(values["hours"])),
        created_by=actor,
    )
    course.syllabus = _store(syllabus, actor=actor, organisation=mou.university, purpose="university_syllabus")
    course.save()
    _add_lecturers(course, lecturers)
    audit_create(actor=actor, target=course)
    return course


def _add_lecturers(course: JointCourse, lecturers: Iterable[dict[str, Any]]) -> None:
    rows = []
    for item in lecturers:
        name = (item.get("name") or "").strip()
        if not name:
            continue
        kind = item.get("kind") or LecturerKind.EXCHANGE
        org = item.get("organisation")
        if kind == LecturerKind.MEMBER and (org is None or org.kind not in OrganisationKind.member_kinds()):
            raise ValidationError(
                {"lecturers": _("A lecturer from a member company needs the company: %(name)s") % {"name": name}}
            )
        dept = item.get("department")
        if dept is not None and not isinstance(dept, Department):
            dept = None
        rows.append(
            CourseLecturer(
                course=course,
                kind=kind,
                name=name[:60],
                department=dept if kind == LecturerKind.EXCHANGE else None,
                organisation=org if kind == LecturerKind.MEMBER else None,
                hours=Decimal(str(item.get("hours") or 0)),
            )
        )
    CourseLecturer.objects.bulk_create(rows)


@transaction.atomic
def course_enrol(*, actor: Any, course: JointCourse, rows: list[dict[str, str]], completed: bool = False) -> int:
    """Enrol students (``rows``: student_number, name, major, grade) in ``course``; all or
    nothing. A student already enrolled, or given twice, is refused with the line number."""
    require(actor, "universities.manage_students")
    if getattr(actor, "kind", "") == "partner" and actor.organisation_id != course.university_id:
        raise ValidationError({"students": _("You may only enrol students of your own university.")})
    if not rows:
        raise ValidationError({"students": _("Give at least one student, one a line.")})
    seen: dict[str, int] = {}
    errors: list[str] = []
    for line, row in enumerate(rows, start=1):
        number = _clean_number(row.get("student_number"))
        if not number:
            errors.append(_("Line %(line)s: the student number is missing.") % {"line": line})
        elif number in seen:
            errors.append(
                _("Line %(line)s: student %(number)s is also on line %(other)s.")
                % {"line": line, "number": number, "other": seen[number]}
            )
        else:
            seen[number] = line
    already = set(
        CourseEnrolment.objects.filter(
            course=course, student__student_number__in=list(seen), student__erased_at__isnull=True
        ).values_list("student__student_number", flat=True)
    )
    for number in sorted(already):
        errors.append(
            _("Line %(line)s: student %(number)s is already enrolled in this course.")
            % {"line": seen[number], "number": number}
        )
    if errors:
        raise ValidationError({"students": errors})
    for row in rows:
        student = student_register(actor=actor, university=course.university, **row)
        CourseEnrolment.objects.create(course=course, student=student, completed=completed)
        _touch(student, course.ends_on)
    audit_record(
        actor=actor,
        action="update",
        target=course,
        message=f"enrolled {len(rows)}",
        changes={"enrolled": [None, len(rows)]},
    )
    return len(rows)


@transaction.atomic
def enrolment_set_completed(*, actor: Any, enrolment: CourseEnrolment, completed: bool) -> CourseEnrolment:
    require(actor, "universities.manage_students")
    if getattr(actor, "kind", "") == "partner" and actor.organisation_id != enrolment.course.university_id:
        raise ValidationError(_("You may only change your own university's courses."))
    before = snapshot(enrolment, ["completed"])
    enrolment.completed = bool(completed)
    enrolment.save(update_fields=["completed"])
    audit_update(actor=actor, target=enrolment.course, before=before)
    return enrolment


# --- lectures ---------------------------------------------------------------------------------


@transaction.atomic
def lecture_attendance_record(*, actor: Any, session: Any, university: Organisation, rows: list[dict[str, str]]) -> int:
    """Record students of ``university`` who attended ``session`` (a published session the
    university co-organised). All or nothing; a student already recorded is refused."""
    require(actor, "universities.manage_students")
    if getattr(actor, "kind", "") == "partner" and actor.organisation_id != university.pk:
        raise ValidationError({"students": _("You may only record students of your own university.")})
    from .selectors import lecture_sessions

    if not lecture_sessions(university_id=university.pk).filter(pk=session.pk).exists():
        raise ValidationError({"session": _("Choose a published lecture your university co-organised.")})
    numbers = [_clean_number(r.get("student_number")) for r in rows]
    dupes = {n for n in numbers if n and numbers.count(n) > 1}
    already = set(
        LectureAttendance.objects.filter(
            session=session, student__university=university, student__student_number__in=numbers
        ).values_list("student__student_number", flat=True)
    )
    problems = sorted(dupes | already)
    if not rows or any(not n for n in numbers):
        raise ValidationError({"students": _("Give a student number on every line.")})
    if problems:
        raise ValidationError(
            {
                "students": _("Already recorded for this lecture or given twice: %(numbers)s")
                % {"numbers": "、".join(problems)}
            }
        )
    for row in rows:
        student = student_register(actor=actor, university=university, **row)
        LectureAttendance.objects.create(session=session, student=student)
        _touch(student, session.date)
    audit_record(actor=actor, action="update", target=session, message=f"students recorded {len(rows)}")
    return len(rows)


# --- internships ------------------------------------------------------------------------------


@transaction.atomic
def internship_create(
    *,
    actor: Any,
    mou: Mou,
    student: dict[str, str],
    starts_on: datetime.date,
    ends_on: datetime.date,
    host_department: Department | None = None,
    host_company: Organisation | None = None,
) -> Internship:
    """An internship of a student of ``mou``'s university at an exchange department or a member
    company; the dates must lie inside the MOU's term."""
    require(actor, "universities.manage")
    errors: dict[str, str] = {}
    if (host_department is None) == (host_company is None):
        errors["host_company"] = _("Choose either an exchange department or a member company as host.")
    elif host_company is not None and host_company.kind not in OrganisationKind.member_kinds():
        errors["host_company"] = _("The host company must be a member company.")
    if not (starts_on and ends_on):
        errors["starts_on"] = _("Give the first and last day of the internship.")
    elif ends_on < starts_on:
        errors["ends_on"] = _("The internship must end after it starts.")
    elif not mou.covers(starts_on, ends_on):
        errors["starts_on"] = _(
            "The internship (%(start)s – %(end)s) lies outside the term of the MOU “%(mou)s” "
            "(%(mou_start)s – %(mou_end)s)."
        ) % {
            "start": _d(starts_on),
            "end": _d(ends_on),
            "mou": mou.title,
            "mou_start": _d(mou.starts_on),
            "mou_end": _d(mou.ends_on),
        }
    if errors:
        raise ValidationError(errors)
    person = student_register(actor=actor, university=mou.university, **student)
    if Internship.objects.filter(student=person, starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise ValidationError({"student_number": _("This student already has an internship in these dates.")})
    internship = Internship.objects.create(
        student=person,
        university_id=mou.university_id,
        mou=mou,
        host_department=host_department,
        host_company=host_company,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    _touch(person, ends_on)
    audit_create(actor=actor, target=internship)
    return internship


@transaction.atomic
def internship_evaluate(*, actor: Any, internship: Internship, evaluation: str, note: str = "") -> Internship:
    """The host's evaluation (staff, or the host company's users for their own interns)."""
    require(actor, "universities.evaluate_internship", internship)
    if evaluation not in InternshipEvaluation.values or not evaluation:
        raise ValidationError({"evaluation": _("Choose an evaluation.")})
    if internship.student.erased_at is not None:
        raise ValidationError(
            {"evaluation": _("The student's data has been erased; the internship can no longer be evaluated.")}
        )
    before = snapshot(internship, ["evaluation", "evaluation_note"])
    internship.evaluation = evaluation
    internship.evaluation_note = (note or "").strip()
    internship.save(update_fields=["evaluation", "evaluation_note"])
    audit_update(actor=actor, target=internship, before=before)
    return internship


# --- retention --------------------------------------------------------------------------------


def students_erase_expired(*, actor: Any, today: datetime.date | None = None) -> int:
    """Erase name, number, major and grade of students whose last participation ended more
    than ``RetentionSetting.months`` ago, and the evaluation comments of their internships.
    The rows stay, so counts of past years do not change. Idempotent."""
    from .models import RetentionSetting

    require(actor, "universities.manage")
    today = today or timezone.localdate()
    months = RetentionSetting.current_months()
    year, month = divmod(today.year * 12 + (today.month - 1) - months, 12)
    day = min(today.day, 28)
    cutoff = datetime.date(year, month + 1, day)
    erased = 0
    ids = list(
        Student.objects.filter(erased_at__isnull=True, last_active_on__lt=cutoff).values_list("pk", flat=True)[:5000]
    )
    for pk in ids:
        with transaction.atomic():
            student = Student.objects.select_for_update().filter(pk=pk, erased_at__isnull=True).first()
            if student is None:
                continue
            Internship.objects.filter(student=student).update(evaluation_note="")
            Student.objects.filter(pk=pk).update(
                student_number="", name="", major="", grade="", erased_at=timezone.now()
            )
            audit_record(
                actor=actor,
                action="update",
                target=student,
                target_label=f"student #{pk}",
                message=f"personal data erased after {months} months",
            )
            erased += 1
    return erased


# --- teaching materials -----------------------------------------------------------------------


@transaction.atomic
def material_create(*, actor: Any, kind: str, title: str, authors: str = "", description: str = "") -> TeachingMaterial:
    require(actor, "universities.manage")
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the material a title.")})
    material = TeachingMaterial.objects.create(
        kind=kind, title=title.strip(), authors=authors.strip(), description=description
    )
    audit_create(actor=actor, target=material)
    return material


@transaction.atomic
def edition_add(
    *,
    actor: Any,
    material: TeachingMaterial,
    number: int,
    published_on: datetime.date,
    file: Any = None,
    changes: str = "",
) -> MaterialEdition:
    """A new edition of ``material``; its number must be higher than every earlier edition's."""
    require(actor, "universities.manage")
    TeachingMaterial.objects.select_for_update().filter(pk=material.pk).first()
    latest = material.editions.order_by("-number").first()
    if latest is not None and number <= latest.number:
        raise ValidationError(
            {
                "number": _("The latest edition is number %(number)s; a new one needs a higher number.")
                % {"number": latest.number}
            }
        )
    edition = MaterialEdition(material=material, number=number, published_on=published_on, changes=changes)
    edition.file = _store(file, actor=actor, organisation=None, purpose="teaching_material")
    edition.save()
    audit_create(actor=actor, target=edition)
    return edition


@transaction.atomic
def edition_adopt(
    *, actor: Any, edition: MaterialEdition, university: Organisation, since: datetime.date
) -> EditionAdoption:
    """Record that ``university`` uses ``edition`` from ``since`` (replacing the edition of the
    same material it used before)."""
    require(actor, "universities.manage")
    if university.kind != OrganisationKind.UNIVERSITY:
        raise ValidationError({"university": _("Choose a university.")})
    adoption = (
        EditionAdoption.objects.select_for_update().filter(material=edition.material, university=university).first()
    )
    if adoption is None:
        try:
            with transaction.atomic():
                adoption = EditionAdoption.objects.create(
                    material=edition.material, edition=edition, university=university, since=since
                )
        except IntegrityError:
            raise ValidationError(_("This university already uses an edition of this material.")) from None
        audit_create(actor=actor, target=adoption.material, message=f"adopted by {university}")
        return adoption
    before_edition = adoption.edition_id
    adoption.edition = edition
    adoption.since = since
    adoption.save(update_fields=["edition", "since"])
    audit_record(
        actor=actor,
        action="update",
        target=edition.material,
        changes={"edition": [before_edition, edition.pk]},
        message=f"adopted by {university}",
    )
    return adoption
