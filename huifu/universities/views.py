"""Pages of university cooperation: MOUs, joint courses, lectures' students, internships,
students, teaching materials and coverage. Thin: a permission, a selector or a service, a
template. Every page reads through ``selectors`` (404 outside the user's scope)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.http import add_service_errors, require_perm

from . import figures, forms, selectors, services
from .reminders import renewal_reminder_day

PAGE_SIZE = 25


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


# --- MOUs -------------------------------------------------------------------------------------


@login_required
def mou_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view")
    today = timezone.localdate()
    qs = selectors.mou_list(user=request.user)
    text = (request.GET.get("q") or "").strip()[:100]
    if text:
        qs = qs.filter(Q(university__name_zh__icontains=text) | Q(title__icontains=text))
    show = request.GET.get("show")
    if show == "renew":
        qs = qs.filter(pk__in=figures.mous_to_renew(qs, today=today))
    elif show == "behind":
        qs = qs.filter(pk__in=figures.mous_behind(qs, today=today))
    page = _page(request, qs)
    rows = list(page.object_list)
    delivered = figures.delivered_by_mou(rows)
    items = [
        {
            "mou": mou,
            "in_force": mou.starts_on <= today <= mou.ends_on,
            "ended": mou.ends_on < today,
            "behind": mou.starts_on <= today <= mou.ends_on and figures.behind_in_year(mou, delivered, today.year),
            "renew_soon": not hasattr_renewal(mou) and today <= mou.ends_on and renewal_reminder_day(mou) <= today,
        }
        for mou in rows
    ]
    return render(
        request,
        "universities/mou_list.html",
        {
            "page": page,
            "items": items,
            "q": text,
            "show": show,
            "can_manage": request.user.has_perm("universities.manage"),
        },
    )


def hasattr_renewal(mou: Any) -> bool:
    try:
        return mou.renewal is not None
    except Exception:  # noqa: BLE001 (RelatedObjectDoesNotExist)
        return False


@login_required
def mou_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "universities.view")
    mou = selectors.mou_get(user=request.user, mou_id=pk)
    return render(
        request,
        "universities/mou_detail.html",
        {
            "mou": mou,
            "renewal": mou.renewal if hasattr_renewal(mou) else None,
            "reminder_day": renewal_reminder_day(mou),
            "obligations": figures.obligations(mou),
            "definitions": figures.OBLIGATION_DEFINITIONS,
            "courses": selectors.course_list(user=request.user).filter(mou=mou),
            "internships": selectors.internship_list(user=request.user).filter(mou=mou),
            "can_manage": request.user.has_perm("universities.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mou_create(request: HttpRequest, renews: int | None = None) -> HttpResponse:
    require_perm(request, "universities.manage")
    predecessor = selectors.mou_get(user=request.user, mou_id=renews) if renews else None
    initial = {}
    if predecessor is not None:
        initial = {
            "university": predecessor.university_id,
            "title": predecessor.title,
            "starts_on": predecessor.ends_on + datetime.timedelta(days=1),
            "courses_per_year": predecessor.courses_per_year,
            "lectures_per_year": predecessor.lectures_per_year,
            "internships_per_year": predecessor.internships_per_year,
            "research_topics_per_year": predecessor.research_topics_per_year,
        }
    form = forms.MouForm(
        request.POST or None, request.FILES or None, renews=predecessor, initial=initial, uploader=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            mou = services.mou_create(
                actor=request.user,
                university=data.pop("university"),
                counterparts=data.pop("counterparts"),
                agreement=data.pop("agreement"),
                renews=predecessor,
                owner=request.user,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("MOU registered."))
            return redirect(mou)
    return render(request, "universities/mou_form.html", {"form": form, "renews": predecessor})


# --- courses ----------------------------------------------------------------------------------


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view")
    qs = selectors.course_list(user=request.user)
    return render(
        request,
        "universities/course_list.html",
        {"page": _page(request, qs), "can_manage": request.user.has_perm("universities.manage")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.manage")
    mous = selectors.mou_list(user=request.user)
    form = forms.CourseForm(
        request.POST or None, request.FILES or None, mous=mous, initial=request.GET or None, uploader=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lecturers = form.lecturers()
        for key in ("exchange_lecturers", "member_lecturers"):
            data.pop(key)
        try:
            course = services.course_create(
                actor=request.user, mou=data.pop("mou"), lecturers=lecturers, syllabus=data.pop("syllabus"), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Course registered."))
            return redirect(course)
    return render(request, "universities/course_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "universities.view")
    course = selectors.course_get(user=request.user, course_id=pk)
    can_enrol = request.user.has_perm("universities.manage_students")
    form = forms.StudentLinesForm(request.POST or None) if can_enrol else None
    if request.method == "POST":
        require_perm(request, "universities.manage_students")
        if form.is_valid():
            try:
                count = services.course_enrol(
                    actor=request.user, course=course, rows=form.rows(), completed=form.cleaned_data["completed"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(count)s students enrolled.") % {"count": count})
                return redirect(course)
    enrolments = selectors.enrolment_list(user=request.user).filter(course=course).order_by("student__student_number")
    return render(
        request,
        "universities/course_detail.html",
        {"course": course, "enrolments": enrolments, "form": form, "can_enrol": can_enrol},
    )


@login_required
@require_POST
def enrolment_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "universities.manage_students")
    enrolment = selectors.enrolment_list(user=request.user).filter(pk=selectors._int(pk)).first()
    if enrolment is None:
        from django.http import Http404

        raise Http404("enrolment not found")
    services.enrolment_set_completed(actor=request.user, enrolment=enrolment, completed=not enrolment.completed)
    return redirect(enrolment.course)


# --- lectures ---------------------------------------------------------------------------------


@login_required
def lecture_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view")
    own = selectors.own_university_id(request.user)
    sessions = (
        selectors.lecture_sessions(university_id=own)
        .annotate(students=Count("student_attendances", distinct=True))
        .prefetch_related("co_organisers")
        .order_by("-date", "pk")
        .distinct()
    )
    return render(request, "universities/lecture_list.html", {"page": _page(request, sessions)})


@login_required
@require_http_methods(["GET", "POST"])
def lecture_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "universities.view")
    own = selectors.own_university_id(request.user)
    session = selectors.lecture_sessions(university_id=own).filter(pk=selectors._int(pk)).distinct().first()
    if session is None:
        from django.http import Http404

        raise Http404("lecture not found")
    universities = [o for o in session.co_organisers.all() if o.kind == "university" and (own is None or o.pk == own)]
    can_record = request.user.has_perm("universities.manage_students") and bool(universities)
    form = forms.LectureStudentsForm(request.POST or None) if can_record else None
    if request.method == "POST":
        require_perm(request, "universities.manage_students")
        university = universities[0] if universities else None
        chosen = request.POST.get("university")
        for candidate in universities:
            if str(candidate.pk) == chosen:
                university = candidate
        if form is not None and form.is_valid() and university is not None:
            try:
                count = services.lecture_attendance_record(
                    actor=request.user, session=session, university=university, rows=form.rows()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(count)s students recorded.") % {"count": count})
                return redirect("universities:lecture_detail", pk=session.pk)
    attendances = (
        selectors.lecture_attendance_list(user=request.user)
        .filter(session=session)
        .order_by("student__university_id", "student__student_number")
    )
    return render(
        request,
        "universities/lecture_detail.html",
        {"session": session, "attendances": attendances, "form": form, "universities": universities},
    )


# --- internships ------------------------------------------------------------------------------


@login_required
def internship_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view_internships")
    qs = selectors.internship_list(user=request.user)
    return render(
        request,
        "universities/internship_list.html",
        {"page": _page(request, qs), "can_manage": request.user.has_perm("universities.manage")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def internship_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.manage")
    form = forms.InternshipForm(request.POST or None, mous=selectors.mou_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            internship = services.internship_create(
                actor=request.user,
                mou=data["mou"],
                student={k: data[k] for k in ("student_number", "name", "major", "grade")},
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                host_department=data["host_department"],
                host_company=data["host_company"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Internship registered."))
            return redirect("universities:internship_detail", pk=internship.pk)
    return render(request, "universities/internship_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def internship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "universities.view_internships")
    internship = selectors.internship_get(user=request.user, internship_id=pk)
    can_evaluate = request.user.has_perm("universities.evaluate_internship", internship)
    form = (
        forms.EvaluationForm(
            request.POST or None, initial={"evaluation": internship.evaluation, "note": internship.evaluation_note}
        )
        if can_evaluate
        else None
    )
    if request.method == "POST":
        require_perm(request, "universities.evaluate_internship", internship)
        if form.is_valid():
            try:
                services.internship_evaluate(
                    actor=request.user,
                    internship=internship,
                    evaluation=form.cleaned_data["evaluation"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Evaluation saved."))
                return redirect("universities:internship_detail", pk=internship.pk)
    return render(request, "universities/internship_detail.html", {"internship": internship, "form": form})


# --- students ---------------------------------------------------------------------------------


@login_required
def student_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view")
    qs = (
        selectors.student_list(user=request.user)
        .annotate(
            n_courses=Count("enrolments", distinct=True),
            n_lectures=Count("lecture_attendances", distinct=True),
            n_internships=Count("internships", distinct=True),
        )
        .order_by("university__name_zh", "student_number", "pk")
    )
    text = (request.GET.get("q") or "").strip()[:100]
    if text:
        qs = qs.filter(Q(student_number__icontains=text) | Q(name__icontains=text))
    return render(request, "universities/student_list.html", {"page": _page(request, qs), "q": text})


# --- teaching materials -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def material_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view_materials")
    can_manage = request.user.has_perm("universities.manage")
    form = forms.MaterialForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require_perm(request, "universities.manage")
        if form.is_valid():
            try:
                material = services.material_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(material)
    qs = selectors.material_list(user=request.user)
    return render(request, "universities/material_list.html", {"page": _page(request, qs), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "universities.view_materials")
    material = selectors.material_get(user=request.user, material_id=pk)
    can_manage = request.user.has_perm("universities.manage")
    edition_form = forms.EditionForm(prefix="ed") if can_manage else None
    adoption_form = forms.AdoptionForm(prefix="ad", material=material) if can_manage else None
    if request.method == "POST":
        require_perm(request, "universities.manage")
        try:
            if "ed-number" in request.POST:
                edition_form = forms.EditionForm(request.POST, request.FILES, prefix="ed", uploader=request.user)
                if edition_form.is_valid():
                    services.edition_add(actor=request.user, material=material, **edition_form.cleaned_data)
                    return redirect(material)
            else:
                adoption_form = forms.AdoptionForm(request.POST, prefix="ad", material=material)
                if adoption_form.is_valid():
                    services.edition_adopt(actor=request.user, **adoption_form.cleaned_data)
                    return redirect(material)
        except ValidationError as exc:
            add_service_errors(edition_form if "ed-number" in request.POST else adoption_form, exc)
    return render(
        request,
        "universities/material_detail.html",
        {
            "material": material,
            "editions": selectors.edition_list(user=request.user).filter(material=material),
            "adoptions": selectors.adoption_list(user=request.user).filter(material=material),
            "edition_form": edition_form,
            "adoption_form": adoption_form,
        },
    )


# --- coverage ---------------------------------------------------------------------------------


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    require_perm(request, "universities.view")
    year = _year(request)
    cov = figures.coverage(user=request.user, year=year)
    rows = [
        (key, figures.FIGURE_LABELS[key], cov.figures[key], figures.DEFINITIONS[key])
        for key in (
            "universities",
            "provinces",
            "courses",
            "hours",
            "lectures",
            "students",
            "participations",
            "enrolments",
            "attendances",
            "internships",
        )
    ]
    return render(
        request,
        "universities/coverage.html",
        {"coverage": cov, "rows": rows, "year": year, "years": range(timezone.localdate().year + 1, 2019, -1)},
    )
