"""Forms of university cooperation. Querysets of choices come from the same selectors as the
lists, so an id outside the user's scope is refused like a missing one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.directory.models import Department, Organisation, OrganisationKind
from huifu.files.kept import KeepUploadsMixin

from .models import InternshipEvaluation, LecturerKind, MaterialKind, Mou, Semester
from .services import parse_counterparts, parse_student_lines


def _date(label: Any, **kw: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


def universities() -> Any:
    return Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY).order_by("name_zh")


class MouForm(KeepUploadsMixin, forms.Form):
    university = forms.ModelChoiceField(label=_("University"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    signed_on = _date(_("Signing date"))
    starts_on = _date(_("Term starts"))
    ends_on = _date(_("Term ends"))
    counterparts = forms.CharField(
        label=_("Counterpart"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One person a line: name, role — e.g. 张华，副校长"),
    )
    courses_per_year = forms.IntegerField(label=_("Joint courses per year"), min_value=0, max_value=100, initial=1)
    lectures_per_year = forms.IntegerField(label=_("Lectures per year"), min_value=0, max_value=100, initial=2)
    internships_per_year = forms.IntegerField(label=_("Internships per year"), min_value=0, max_value=500, initial=5)
    research_topics_per_year = forms.IntegerField(
        label=_("Research topics per year"), min_value=0, max_value=100, initial=1
    )
    remind_working_days = forms.IntegerField(
        label=_("Renewal reminder (working days before the end)"), min_value=1, max_value=120, initial=20
    )
    agreement = forms.FileField(label=_("Signed agreement"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, renews: Mou | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["university"].queryset = universities()
        if renews is not None:
            self.fields["university"].queryset = universities().filter(pk=renews.university_id)
            self.fields["university"].initial = renews.university_id

    def clean_counterparts(self) -> list[tuple[str, str]]:
        return parse_counterparts(self.cleaned_data.get("counterparts") or "")


class CourseForm(KeepUploadsMixin, forms.Form):
    mou = forms.ModelChoiceField(label=_("MOU"), queryset=Mou.objects.none())
    title = forms.CharField(label=_("Course title"), max_length=200)
    academic_year = forms.RegexField(
        label=_("Academic year"),
        regex=r"^\d{4}-\d{4}$",
        max_length=9,
        help_text=_("e.g. 2026-2027"),
        error_messages={"invalid": _("Write the academic year as 2026-2027.")},
    )
    semester = forms.ChoiceField(label=_("Semester"), choices=Semester.choices)
    starts_on = _date(_("Term starts"))
    ends_on = _date(_("Term ends"))
    hours = forms.DecimalField(label=_("Teaching hours"), min_value=0.5, max_value=9999, decimal_places=1)
    exchange_lecturers = forms.CharField(
        label=_("Lecturers from the exchange"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: name, hours"),
    )
    member_lecturers = forms.CharField(
        label=_("Lecturers from member companies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: name, company, hours — the company as named in the directory"),
    )
    syllabus = forms.FileField(label=_("Syllabus"), required=False)

    def __init__(self, *args: Any, mous: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mou"].queryset = mous
        self.fields["mou"].label_from_instance = lambda m: (
            f"{m.university.name_zh} · {m.title} ({m.starts_on:%Y-%m-%d} – {m.ends_on:%Y-%m-%d})"
        )

    def lecturers(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for line in (self.cleaned_data.get("exchange_lecturers") or "").splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if parts[0]:
                rows.append({"kind": LecturerKind.EXCHANGE, "name": parts[0], "hours": _num(parts[1:2])})
        for line in (self.cleaned_data.get("member_lecturers") or "").splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not parts[0]:
                continue
            company = None
            if len(parts) > 1 and parts[1]:
                company = (
                    Organisation.objects.filter(kind__in=OrganisationKind.member_kinds())
                    .filter(models_q_name(parts[1]))
                    .first()
                )
            rows.append(
                {"kind": LecturerKind.MEMBER, "name": parts[0], "organisation": company, "hours": _num(parts[2:3])}
            )
        return rows


def models_q_name(text: str) -> Any:
    from django.db.models import Q

    return Q(name_zh=text) | Q(short_name=text) | Q(name_en__iexact=text)


def _num(parts: list[str]) -> str:
    try:
        return str(float(parts[0])) if parts and parts[0] else "0"
    except ValueError:
        return "0"


class StudentLinesForm(forms.Form):
    students = forms.CharField(
        label=_("Students"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line: student number, name, major, grade — e.g. 2023110001，张三，金融学，2023级"),
    )
    completed = forms.BooleanField(label=_("Completed the course"), required=False)

    def rows(self) -> list[dict[str, str]]:
        return parse_student_lines(self.cleaned_data.get("students") or "")


class LectureStudentsForm(StudentLinesForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["completed"]


class InternshipForm(forms.Form):
    mou = forms.ModelChoiceField(label=_("MOU"), queryset=Mou.objects.none())
    student_number = forms.CharField(label=_("Student number"), max_length=32)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=60)
    major = forms.CharField(label=_("Major"), max_length=100, required=False)
    grade = forms.CharField(label=_("Grade"), max_length=20, required=False)
    host_department = forms.ModelChoiceField(
        label=_("Host department"), queryset=Department.objects.filter(is_active=True), required=False
    )
    host_company = forms.ModelChoiceField(
        label=_("Host company"),
        queryset=Organisation.objects.filter(kind__in=OrganisationKind.member_kinds()).order_by("name_zh"),
        required=False,
        help_text=_("Either an exchange department or a member company."),
    )
    starts_on = _date(_("Starts"))
    ends_on = _date(_("Ends"))

    def __init__(self, *args: Any, mous: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mou"].queryset = mous
        self.fields["mou"].label_from_instance = lambda m: (
            f"{m.university.name_zh} · {m.title} ({m.starts_on:%Y-%m-%d} – {m.ends_on:%Y-%m-%d})"
        )


class EvaluationForm(forms.Form):
    evaluation = forms.ChoiceField(label=_("Evaluation"), choices=[c for c in InternshipEvaluation.choices if c[0]])
    note = forms.CharField(label=_("Evaluation comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    authors = forms.CharField(label=_("Authors"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EditionForm(KeepUploadsMixin, forms.Form):
    number = forms.IntegerField(label=_("Edition"), min_value=1, max_value=99)
    published_on = _date(pgettext_lazy("edition", "Published"))
    file = forms.FileField(label=_("File"), required=False)
    changes = forms.CharField(label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AdoptionForm(forms.Form):
    edition = forms.ModelChoiceField(label=_("Edition"), queryset=None)
    university = forms.ModelChoiceField(label=_("University"), queryset=Organisation.objects.none())
    since = _date(_("In use since"))

    def __init__(self, *args: Any, material: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = material.editions.all()
        self.fields["university"].queryset = universities()
