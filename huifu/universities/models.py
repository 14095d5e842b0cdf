"""University cooperation (投资者教育纳入国民教育体系): MOUs with universities, joint courses,
students reached by courses, lectures and internships, and the teaching materials library.

* ``Mou`` — a memorandum of understanding with one university (``directory.Organisation`` of kind
  ``university``): signing date, term, counterpart people, yearly obligations. Terms of one
  university's MOUs never overlap, except a renewal with the MOU it renews (``renews``); the
  services check this under a lock of the university row.
* ``Student`` — one student, identified by university + student number (the identity used for
  counting unique students). Only name, number, major and grade are kept; after the retention
  period (``RetentionSetting``) the personal fields are erased and the row stays, so counts stay.
* ``JointCourse`` (per term, inside its MOU's term) with ``CourseLecturer``s and
  ``CourseEnrolment``s; ``LectureAttendance`` links a student to an events ``Session`` the
  university co-organised; ``Internship`` (inside its MOU's term) at an exchange department or a
  member company.
* ``TeachingMaterial`` → ``MaterialEdition``s → ``EditionAdoption`` (which university uses which
  edition; one edition of a material per university).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Mou(models.Model):
    university = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="mous",
        verbose_name=_("university"),
        limit_choices_to={"kind": "university"},
    )
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signing date"))
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renews"),
        help_text=_("The earlier MOU with the same university that this one continues."),
    )
    courses_per_year = models.PositiveSmallIntegerField(_("joint courses per year"), default=0)
    lectures_per_year = models.PositiveSmallIntegerField(_("lectures per year"), default=0)
    internships_per_year = models.PositiveSmallIntegerField(_("internships per year"), default=0)
    research_topics_per_year = models.PositiveSmallIntegerField(_("research topics per year"), default=0)
    remind_working_days = models.PositiveSmallIntegerField(
        _("renewal reminder (working days before the end)"), default=20
    )
    renewal_reminded_at = models.DateTimeField(_("renewal reminder sent"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible staff member"),
    )
    agreement = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed agreement"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("MOU")
        verbose_name_plural = _("MOUs")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="universities_mou_term_ends_after_start",
                violation_error_message=_("The term must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(renews=models.F("pk")),
                name="universities_mou_not_own_renewal",
            ),
        ]
        indexes = [models.Index(fields=["university", "starts_on"], name="universities_mou_uni_start")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("universities:mou_detail", args=[self.pk])

    def covers(self, start, end) -> bool:  # noqa: ANN001
        """True when [start, end] lies inside the MOU's term."""
        return self.starts_on <= start and end <= self.ends_on


class MouCounterpart(models.Model):
    """A person who signed or is the contact for the university side of an MOU."""

    mou = models.ForeignKey(Mou, on_delete=models.CASCADE, related_name="counterparts", verbose_name=_("MOU"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    role = models.CharField(pgettext_lazy("counterpart", "role"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("counterpart")
        verbose_name_plural = _("counterparts")

    def __str__(self) -> str:
        return f"{self.name} {self.role}".strip()


class RetentionSetting(models.Model):
    """How long students' personal fields are kept after their last participation (data, one
    row, edited by staff in the admin). ``months`` after the end of the last course, lecture or
    internship, ``universities_erase_expired`` erases name, number, major and grade."""

    months = models.PositiveSmallIntegerField(_("retention (months)"), default=36)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("student data retention")
        verbose_name_plural = _("student data retention")

    def __str__(self) -> str:
        return f"{self.months}"

    @classmethod
    def current_months(cls) -> int:
        row = cls.objects.order_by("pk").first()
        return row.months if row else 36


class Student(models.Model):
    """A student reached by the programme. Identity: university + student number (unique while
    not erased). No ID-card number and no phone number are stored."""

    university = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="students", verbose_name=_("university")
    )
    student_number = models.CharField(_("student number"), max_length=32, blank=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60, blank=True)
    major = models.CharField(_("major"), max_length=100, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True, help_text=_("e.g. 2023级 or 研一"))
    last_active_on = models.DateField(_("last participation"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["university_id", "student_number", "pk"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        constraints = [
            models.UniqueConstraint(
                fields=["university", "student_number"],
                condition=Q(erased_at__isnull=True),
                name="universities_student_one_per_number",
                violation_error_message=_("This university already has a student with this number."),
            ),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=False) | ~Q(student_number=""),
                name="universities_student_has_number",
            ),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | (Q(student_number="") & Q(name="") & Q(major="")),
                name="universities_student_erased_is_empty",
            ),
        ]

    def __str__(self) -> str:
        if self.erased_at:
            return str(_("(erased)"))
        return f"{self.name} ({self.student_number})"


class Semester(models.TextChoices):
    AUTUMN = "autumn", _("Autumn semester")
    SPRING = "spring", _("Spring semester")
    SUMMER = "summer", _("Summer term")


class JointCourse(models.Model):
    mou = models.ForeignKey(Mou, on_delete=models.PROTECT, related_name="courses", verbose_name=_("MOU"))
    university = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="joint_courses", verbose_name=_("university")
    )
    title = models.CharField(_("course title"), max_length=200)
    academic_year = models.CharField(_("academic year"), max_length=9, help_text=_("e.g. 2026-2027"))
    semester = models.CharField(_("semester"), max_length=10, choices=Semester.choices)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    hours = models.DecimalField(_("teaching hours"), max_digits=5, decimal_places=1)
    syllabus = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("syllabus"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        verbose_name = _("joint course")
        verbose_name_plural = _("joint courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="universities_course_term_order"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="universities_course_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.academic_year} {self.get_semester_display()})"

    def get_absolute_url(self) -> str:
        return reverse("universities:course_detail", args=[self.pk])


class LecturerKind(models.TextChoices):
    EXCHANGE = "exchange", _("Exchange staff")
    MEMBER = "member", pgettext_lazy("lecturer", "Member company")
    UNIVERSITY = "university", pgettext_lazy("lecturer", "University teacher")


class CourseLecturer(models.Model):
    course = models.ForeignKey(JointCourse, on_delete=models.CASCADE, related_name="lecturers")
    kind = models.CharField(_("lecturer from"), max_length=12, choices=LecturerKind.choices)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hours = models.DecimalField(_("hours taught"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="member") | Q(organisation__isnull=False),
                name="universities_lecturer_member_has_company",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CourseEnrolment(models.Model):
    course = models.ForeignKey(JointCourse, on_delete=models.CASCADE, related_name="enrolments")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="enrolments")
    completed = models.BooleanField(_("completed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "student"],
                name="universities_enrolment_once",
                violation_error_message=_("This student is already enrolled in this course."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.course}"


class LectureAttendance(models.Model):
    """A student who attended a lecture: an events ``Session`` co-organised by the student's
    university. This is how a talk's attendees count as students reached."""

    session = models.ForeignKey("events.Session", on_delete=models.PROTECT, related_name="student_attendances")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="lecture_attendances")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("lecture attendance")
        verbose_name_plural = _("lecture attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "student"],
                name="universities_lecture_once",
                violation_error_message=_("This student is already recorded for this lecture."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.session}"


class InternshipEvaluation(models.TextChoices):
    PENDING = "", _("Not yet evaluated")
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class Internship(models.Model):
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="internships")
    university = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("university")
    )
    mou = models.ForeignKey(Mou, on_delete=models.PROTECT, related_name="internships", verbose_name=_("MOU"))
    host_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host department"),
    )
    host_company = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_internships",
        verbose_name=_("host company"),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    evaluation = models.CharField(
        _("evaluation"), max_length=10, choices=InternshipEvaluation.choices, blank=True, default=""
    )
    evaluation_note = models.TextField(_("evaluation comment"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="universities_internship_date_order"
            ),
            models.CheckConstraint(
                condition=(Q(host_department__isnull=False) & Q(host_company__isnull=True))
                | (Q(host_department__isnull=True) & Q(host_company__isnull=False)),
                name="universities_internship_one_host",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} @ {self.host_label}"

    @property
    def host_label(self) -> str:
        return str(self.host_department or self.host_company)


class MaterialKind(models.TextChoices):
    SYLLABUS = "syllabus", _("Syllabus")
    TEXTBOOK = "textbook", _("Textbook")
    COURSEWARE = "courseware", _("Courseware")
    CASE = "case", _("Teaching case")


class TeachingMaterial(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    authors = models.CharField(_("authors"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title", "pk"]
        verbose_name = _("teaching material")
        verbose_name_plural = _("teaching materials")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("universities:material_detail", args=[self.pk])


class MaterialEdition(models.Model):
    material = models.ForeignKey(TeachingMaterial, on_delete=models.PROTECT, related_name="editions")
    number = models.PositiveSmallIntegerField(_("edition"))
    published_on = models.DateField(pgettext_lazy("edition", "published"))
    file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("file")
    )
    changes = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["material_id", "-number"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(
                fields=["material", "number"],
                name="universities_edition_number_once",
                violation_error_message=_("This material already has an edition with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.material} · {self.number}"


class EditionAdoption(models.Model):
    """A university uses one edition of a material (adopting a newer edition replaces it)."""

    material = models.ForeignKey(TeachingMaterial, on_delete=models.CASCADE, related_name="adoptions")
    edition = models.ForeignKey(MaterialEdition, on_delete=models.CASCADE, related_name="adoptions")
    university = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    since = models.DateField(_("in use since"))

    class Meta:
        ordering = ["material_id", "university_id"]
        verbose_name = _("edition in use")
        verbose_name_plural = _("editions in use")
        constraints = [
            models.UniqueConstraint(
                fields=["material", "university"],
                name="universities_adoption_one_edition",
                violation_error_message=_("This university already uses an edition of this material."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.university} · {self.edition}"
