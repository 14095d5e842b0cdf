"""Notice pages. Thin: parse input, call a selector or a service, render.

Readers: ``list``, ``detail`` (marks the notice read), ``mark_read`` (htmx button).
Staff: ``manage``, ``create``, ``edit``, attachments, ``publish``, ``withdraw``,
``read_status`` and its Excel export.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core import spreadsheets
from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm
from huifu.core.jobs import enqueue_failed, reset_enqueue_failed

from . import selectors, services
from .exports import read_status_workbook
from .filters import ReaderNoticeFilter, StaffNoticeFilter
from .forms import AttachmentForm, NoticeForm, WithdrawForm
from .models import AudienceKind, NoticeAttachment, NoticeCategory

PAGE_SIZE = 20


def _page(request: HttpRequest, qs: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Readers ----------------------------------------------------------------------------------


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "notices.view_notice_list")
    filters = page_filter(ReaderNoticeFilter, request, selectors.notice_list_for_reader(user=request.user))
    form, qs = filters.form, filters.qs
    return render(
        request,
        "notices/list.html",
        {
            "form": form,
            "page": _page(request, qs),
            "querystring": _querystring_without_page(request),
            "unread_count": selectors.notice_unread_count(user=request.user),
            "can_manage": request.user.has_perm("notices.manage_notices"),
        },
    )


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "notices.view_notice_list")
    notice = selectors.notice_get_for_reader(user=request.user, notice_id=pk)
    if notice.is_published and not notice.is_read and selectors.user_in_audience(user=request.user, notice=notice):
        services.notice_mark_read(actor=request.user, notice=notice)
        notice.is_read = True
    user = request.user
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "can_manage": user.has_perm("notices.manage_notices"),
            "can_edit": notice.is_draft and user.has_perm("notices.change_notice", notice),
            "can_publish": notice.is_draft and user.has_perm("notices.publish_notice", notice),
            "can_withdraw": notice.is_published and user.has_perm("notices.withdraw_notice", notice),
        },
    )


@login_required
@require_POST
def notice_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "notices.view_notice_list")
    notice = selectors.notice_get_for_reader(user=request.user, notice_id=pk)
    services.notice_mark_read(actor=request.user, notice=notice)
    if request.htmx:
        return render(request, "notices/_read_badge.html", {"notice": notice, "is_read": True})
    return redirect("notices:list")


# --- Staff --------------------------------------------------------------------------------------


@login_required
def notice_manage(request: HttpRequest) -> HttpResponse:
    require_perm(request, "notices.manage_notices")
    filters = page_filter(StaffNoticeFilter, request, selectors.notice_list_for_staff(user=request.user))
    form, qs = filters.form, filters.qs
    return render(
        request,
        "notices/manage.html",
        {"form": form, "page": _page(request, qs), "querystring": _querystring_without_page(request)},
    )


def _form_kwargs(form: NoticeForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "doc_number": data["doc_number"],
        "title": data["title"],
        "body": data["body"],
        "category": data["category"],
        "department": data["department"],
        "audience_kind": data["audience_kind"],
        "audience_org_kinds": data["audience_org_kinds"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def notice_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "notices.add_notice")
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                notice = services.notice_create_draft(
                    actor=request.user,
                    audience_organisations=form.cleaned_data["audience_organisations"],
                    **_form_kwargs(form),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Draft saved. Add attachments or publish it when ready."))
                return redirect("notices:edit", pk=notice.pk)
    else:
        form = NoticeForm(
            initial={
                "category": NoticeCategory.NOTICE,
                "audience_kind": AudienceKind.ALL_MEMBERS,
                "department": request.user.department_id,
            }
        )
    return render(request, "notices/form.html", {"form": form, "notice": None})


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
    require_perm(request, "notices.change_notice", notice)
    if not notice.is_draft:
        messages.error(request, _("Only drafts can be changed. Withdraw the notice and issue a new one."))
        return redirect(notice)
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                services.notice_update(
                    actor=request.user,
                    notice=notice,
                    audience_organisations=form.cleaned_data["audience_organisations"],
                    **_form_kwargs(form),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("notices:edit", pk=notice.pk)
    else:
        form = NoticeForm(
            initial={
                **{f: getattr(notice, f) for f in ("doc_number", "title", "body", "category", "audience_kind")},
                "department": notice.department_id,
                "audience_org_kinds": notice.audience_org_kinds,
                "audience_organisations": list(notice.audience_organisations.values_list("pk", flat=True)),
            }
        )
    return render(
        request,
        "notices/form.html",
        {
            "form": form,
            "notice": notice,
            "attachment_form": AttachmentForm(),
            "can_publish": request.user.has_perm("notices.publish_notice", notice),
        },
    )


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
    require_perm(request, "notices.change_notice", notice)
    form = AttachmentForm(request.POST, request.FILES, uploader=request.user)
    if form.is_valid():
        try:
            services.notice_attachment_add(actor=request.user, notice=notice, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Attachment added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("notices:edit", pk=notice.pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
    require_perm(request, "notices.change_notice", notice)
    attachment = get_object_or_404(
        NoticeAttachment.objects.select_related("notice", "file"), pk=attachment_id, notice=notice
    )
    try:
        services.notice_attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Attachment removed."))
    return redirect("notices:edit", pk=notice.pk)


@login_required
@require_http_methods(["GET", "POST"])
def notice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
    require_perm(request, "notices.publish_notice", notice)
    errors: list[str] = []
    if request.method == "POST":
        reset_enqueue_failed()
        try:
            notice = services.notice_publish(actor=request.user, notice=notice)
        except ValidationError as exc:
            errors = exc.messages
        else:
            if enqueue_failed():  # the job queue is down: say so, the mails are kept and go out later
                messages.warning(
                    request,
                    _(
                        "The notice is published. E-mail delivery is delayed because the job queue is "
                        "unavailable; the e-mails to %(count)s recipient(s) go out automatically when it is back."
                    )
                    % {"count": notice.mailing.total},
                )
                return redirect(notice)
            # The mails are written by background jobs (huifu.notices.mailing): say how many.
            count = notice.mailing.total
            messages.success(
                request,
                ngettext(
                    "The notice is published; the e-mail to %(count)s recipient is being sent in the background.",
                    "The notice is published; e-mails to %(count)s recipients are being sent in the background.",
                    count,
                )
                % {"count": count},
            )
            return redirect(notice)
    audience = selectors.notice_audience_users(notice)
    return render(
        request,
        "notices/confirm_publish.html",
        {"notice": notice, "errors": errors, "recipient_count": audience.count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
    require_perm(request, "notices.withdraw_notice", notice)
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.notice_withdraw(actor=request.user, notice=notice, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The notice is withdrawn."))
                return redirect(notice)
    else:
        form = WithdrawForm()
    return render(request, "notices/withdraw.html", {"notice": notice, "form": form})


@login_required
def read_status(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
    require_perm(request, "notices.view_read_status", notice)
    return render(
        request,
        "notices/read_status.html",
        {
            "notice": notice,
            "page": _page(request, selectors.notice_read_status(notice), 50),
            "totals": selectors.notice_read_totals(notice),
            "querystring": "",
        },
    )


@login_required
def read_status_export(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get_for_staff(user=request.user, notice_id=pk)
    require_perm(request, "notices.view_read_status", notice)
    content = read_status_workbook(notice)
    return spreadsheets.download(content, f"notice-{notice.pk}-read-status.xlsx")
