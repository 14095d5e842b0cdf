"""Online attendance pages (staff; a session's co-organiser for its sessions): upload the
platform's participant list → preview with per-line problems (or the column mapping) → confirm;
the result per registration; the rule. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.http import add_service_errors, require_perm

from . import selectors
from . import selectors_attendance as att
from .attendance_analysis import DEFAULT_HEADERS, FIELD_LABELS, FIELDS
from .forms_attendance import AttendanceConfirmForm, AttendanceMappingForm, AttendanceRuleForm, AttendanceUploadForm
from .models import AttendanceImportState, Session
from .services import attendance as services


def _session(request: HttpRequest, pk: int, perm: str) -> Session:
    require_perm(request, "events.view_session_list")
    session = selectors.session_get(user=request.user, session_id=pk)
    require_perm(request, perm, session)
    return session


def _page_url(session: Session) -> str:
    return reverse("events:attendance", args=[session.pk])


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "events.view_attendance")
    can_import = request.user.has_perm("events.import_attendance", session)
    form = AttendanceUploadForm(initial={"platform": session.platform})
    if request.method == "POST":
        require_perm(request, "events.import_attendance", session)
        form = AttendanceUploadForm(request.POST, request.FILES, uploader=request.user)
        if form.is_valid():
            try:
                draft = services.attendance_upload(
                    actor=request.user,
                    session=session,
                    upload=form.cleaned_data["file"],
                    platform=form.cleaned_data["platform"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("events:attendance_import", pk=session.pk, import_id=draft.pk)
    result = att.attendance_result(session)
    rule = services.attendance_rule_for(session)
    rows = list(att.attendance_rows(session=session))
    can_set_rule = request.user.has_perm("events.set_attendance_rule", session)
    return render(
        request,
        "events/attendance/page.html",
        {
            "session": session,
            "result": result,
            "rule": rule,
            "rows": rows,
            "attended_count": sum(1 for r in rows if r.record_list and r.record_list[0].attended),
            "imports": att.attendance_imports(session=session),
            "form": form,
            "can_import": can_import,
            "can_set_rule": can_set_rule,
            "rule_form": AttendanceRuleForm(initial={"min_percent": rule.min_percent}) if can_set_rule else None,
            "layout": [(FIELD_LABELS[f], DEFAULT_HEADERS[f][0]) for f in FIELDS],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_import(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    session = _session(request, pk, "events.import_attendance")
    draft = att.attendance_draft_get(user=request.user, session=session, import_id=import_id)
    if draft.state != AttendanceImportState.DRAFT:
        return redirect(_page_url(session))
    confirm_form = AttendanceConfirmForm()
    mapping_data: Any = None
    if request.method == "POST" and request.POST.get("action") == "map":
        mapping_data = request.POST
    elif request.method == "POST":
        confirm_form = AttendanceConfirmForm(request.POST)
        if confirm_form.is_valid():
            try:
                outcome = services.attendance_confirm(
                    actor=request.user,
                    draft=draft,
                    fingerprint=confirm_form.cleaned_data["fingerprint"],
                    accept_problems=confirm_form.cleaned_data["accept_problems"],
                )
            except ValidationError as exc:
                add_service_errors(confirm_form, exc)
            else:
                if outcome.changed:
                    messages.success(request, _("Online attendance imported."))
                else:
                    messages.info(request, _("This file gives the attendance already in force: nothing changed."))
                return redirect(_page_url(session))
    header_index = draft.mapping.get("header_index") or 0
    posted_header = str((mapping_data or {}).get("header_index", ""))
    if posted_header.isdigit() and int(posted_header) != header_index:
        # Another header line: its columns are read by the default layout, then offered to choose.
        try:
            draft = services.attendance_draft_map(
                actor=request.user,
                draft=draft,
                mapping={"header_index": int(posted_header), "time_format": mapping_data.get("time_format")},
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("events:attendance_import", pk=session.pk, import_id=draft.pk)
    mapping_form = AttendanceMappingForm(
        mapping_data,
        lines=draft.lines,
        line_numbers=draft.line_numbers,
        header_index=header_index,
        initial={
            "header_index": header_index,
            "time_format": draft.mapping.get("time_format"),
            **{f"col_{f}": text for f, text in (draft.mapping.get("columns") or {}).items()},
        },
    )
    if mapping_data is not None and mapping_form.is_valid():
        try:
            draft = services.attendance_draft_map(actor=request.user, draft=draft, mapping=mapping_form.mapping())
        except ValidationError as exc:
            add_service_errors(mapping_form, exc)
        else:
            return redirect("events:attendance_import", pk=session.pk, import_id=draft.pk)
    preview = services.attendance_analyse(draft=draft)
    if preview.analysis is not None and not confirm_form.is_bound:
        confirm_form = AttendanceConfirmForm(initial={"fingerprint": preview.analysis.fingerprint()})
    return render(
        request,
        "events/attendance/preview.html",
        {
            "session": session,
            "draft": draft,
            "preview": preview,
            "analysis": preview.analysis,
            "outcomes": _outcome_rows(preview),
            "mapping_form": mapping_form,
            "confirm_form": confirm_form,
            "column_rows": [(FIELD_LABELS[f], preview.columns.names.get(f)) for f in FIELDS],
        },
    )


def _outcome_rows(preview: services.Preview) -> list[dict[str, Any]]:
    if preview.analysis is None:
        return []
    rows = []
    for outcome in preview.analysis.outcomes.values():
        person = preview.people[outcome.registration_id]
        rows.append({"person": person, "outcome": outcome, "minutes": outcome.seconds_present // 60})
    return sorted(rows, key=lambda r: (not r["outcome"].lines, r["person"].name, r["person"].email))


@login_required
@require_POST
def attendance_rule(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "events.set_attendance_rule")
    form = AttendanceRuleForm(request.POST)
    if form.is_valid():
        scope = form.cleaned_data["scope"]
        try:
            services.attendance_rule_set(
                actor=request.user,
                min_percent=form.cleaned_data["min_percent"],
                session=session if scope == "session" else None,
                series=session.series if scope == "series" else None,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Attendance rule saved; sessions already imported keep their stamped rule."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_page_url(session))
