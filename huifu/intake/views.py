"""Intake pages. Thin: parse input, call a selector or a service, render.

Staff: the mail triage queue (``list``), a message with its headers and attachments
(``detail``), ``resolve`` (pick the company) and ``ignore``. Members and staff: the Word form
(``form_download``, blank or pre-filled) and ``upload`` of a filled one.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.http import require_perm
from huifu.servicedesk.intake_report import report_rows
from huifu.servicedesk.selectors import forms_for

from . import selectors, services
from .forms import FilterForm, IgnoreForm, MemberUploadForm, ResolveForm, StaffUploadForm
from .models import IntakeStatus
from .wordform import CONTENT_TYPE, FormData, form_docx

PAGE_SIZE = 25


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "intake.view_intake")
    form = FilterForm(request.GET or {"status": IntakeStatus.NEW})
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.message_list_for_user(
        user=request.user, status=filters.get("status", ""), search=(filters.get("q") or "").strip()
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "intake/list.html",
        {
            "form": form,
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": params.urlencode(),
        },
    )


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "intake.view_intake")
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    can_resolve = message.status == IntakeStatus.NEW and request.user.has_perm("intake.resolve_intake")
    return render(
        request,
        "intake/detail.html",
        {
            "message": message,
            "attachments": list(message.attachments.all()),
            "can_resolve": can_resolve,
            "report_rows": report_rows({"fields": (message.extracted or {}).get("report") or []}),
            "resolve_form": ResolveForm(initial={"organisation": message.organisation_id}),
            "ignore_form": IgnoreForm(),
        },
    )


@login_required
@require_POST
def message_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "intake.view_intake")
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    require_perm(request, "intake.resolve_intake")
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a member company."))
        return redirect(message)
    try:
        services.intake_resolve(actor=request.user, message=message, organisation=form.cleaned_data["organisation"])
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("A draft feedback form was created for the company. Check and confirm it."))
    return redirect(message)


@login_required
@require_POST
def message_ignore(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "intake.view_intake")
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    require_perm(request, "intake.resolve_intake")
    form = IgnoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the message is ignored."))
        return redirect(message)
    try:
        services.intake_ignore(actor=request.user, message=message, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The message is marked as ignored."))
    return redirect(message)


@login_required
def form_download(request: HttpRequest) -> HttpResponse:
    """The Word form: blank, or (``?prefill=1``, members) with the company and contact filled in."""
    require_perm(request, "intake.download_form")
    user = request.user
    today = timezone.localdate()
    data = FormData(year=today.year)
    filename = "“一站通”会员之声反馈表.docx"
    if request.GET.get("prefill") and user.organisation_id is not None:
        data = FormData(
            form_date=today,
            company=user.organisation.name_zh,
            contact=user.full_name,
            phone=user.phone,
            email=user.email,
            year=today.year,
        )
        filename = f"{user.organisation.short_name or user.organisation.name_zh}“一站通”会员之声反馈表.docx"
    response = HttpResponse(form_docx(data), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"feedback-form.docx\"; filename*=UTF-8''{quote(filename)}"
    return response


def _already_received(request: HttpRequest, feedback: Any) -> bool:
    """Say what the document already became; True when the user may open it (a member never
    sees a draft staff read from the same file, so it gets no link to one)."""
    visible = forms_for(request.user).filter(pk=feedback.pk).exists()
    link = format_html('<a href="{}">{}</a>', feedback.get_absolute_url(), _("open it")) if visible else ""
    if feedback.serial:
        text = _("This document was already received as %(year)s-%(serial)s; nothing new was created.") % {
            "year": feedback.year,
            "serial": feedback.serial_display,
        }
    else:
        text = _("This document was already read into a draft that waits for confirmation; nothing new was created.")
    messages.info(request, format_html("{} {}", text, link))
    return visible


@login_required
@require_http_methods(["GET", "POST"])
def docx_upload(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_member = user.has_perm("intake.upload_docx")
    is_reviewer = user.has_perm("intake.review_docx")
    if not (is_member or is_reviewer):
        raise PermissionDenied
    form_class = MemberUploadForm if is_member else StaffUploadForm
    report = None
    rows: list = []
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, uploader=user)
        if form.is_valid():
            try:
                if is_member:
                    feedback, parsed, again = services.docx_submit_member(actor=user, upload=form.cleaned_data["file"])
                else:
                    feedback, parsed, again = services.docx_draft_staff(
                        actor=user, upload=form.cleaned_data["file"], organisation=form.cleaned_data["organisation"]
                    )
            except ValidationError as exc:
                report = exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}
                if isinstance(exc, services.DocxRefused):
                    rows = report_rows({"fields": exc.parsed.report()})
                if "file" in report:
                    form.add_error("file", report.pop("file"))
                if "organisation" in report and "organisation" in form.fields:
                    form.add_error("organisation", report.pop("organisation"))
            else:
                if again:
                    if not _already_received(request, feedback):
                        return redirect("intake:upload")
                elif is_member:
                    messages.success(
                        request, _("Your form No. %(serial)s is received.") % {"serial": feedback.serial_display}
                    )
                else:
                    for problem in parsed.problems:
                        messages.warning(request, problem.message)
                    messages.success(request, _("A draft form was created from the document. Check and confirm it."))
                return redirect(feedback.get_absolute_url())
    else:
        form = form_class()
    return render(
        request,
        "intake/upload.html",
        {"form": form, "report": report, "rows": rows, "is_member": is_member, "year": datetime.date.today().year},
    )
