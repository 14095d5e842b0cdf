"""The public face: what a visitor without an account sees at ``/`` (the exchange's identity,
public notices and cases, sign in / register) and the public notices and cases themselves.

Only published items addressed to the public are read here, through the owning apps'
selectors (``cases.selectors.public_case_list``, ``notices.selectors.public_notice_list``).
Case images and attachments stay behind the login (files are served to logged-in readers)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from huifu.cases import selectors as cases
from huifu.core.http import add_service_errors, require_perm
from huifu.core.identity import exchange
from huifu.notices import selectors as notices

from .forms import IdentityForm
from .models import SiteIdentity
from .services import IDENTITY_FIELDS, identity_update

LANDING_NOTICES = 5
LANDING_CASES = 6
PAGE_SIZE = 20


def front_door(home: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """``/``: a visitor without an account gets the public landing page, a signed-in user
    their home (``home`` keeps its own login and everything else)."""

    def view(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            return home(request)
        return landing(request)

    view.__name__ = view.__qualname__ = "front_door"
    view.__doc__ = front_door.__doc__
    return view


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """Identity, the latest public notices and cases, sign in and register. Three queries."""
    return render(
        request,
        "publicsite/landing.html",
        {
            "identity": exchange(),
            "notices": list(
                notices.public_notice_list().only("pk", "title", "doc_number", "published_at")[:LANDING_NOTICES]
            ),
            "cases": list(cases.public_case_list()[:LANDING_CASES]),
        },
    )


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(cases.public_case_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publicsite/case_list.html", {"page": page, "identity": exchange()})


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "publicsite/case_detail.html", {"case": cases.public_case_get(case_id=pk)})


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    qs = notices.public_notice_list().only("pk", "title", "doc_number", "published_at", "category")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publicsite/notice_list.html", {"page": page})


@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "publicsite/notice_detail.html", {"notice": notices.public_notice_get(notice_id=pk)})


@require_GET
def logo(request: HttpRequest, file_id: uuid.UUID) -> HttpResponse:
    """The exchange's logo, for anyone (the public site and every page header show it). Only the
    file that is the logo now is served here; any other id answers 404."""
    row = SiteIdentity.objects.filter(logo_id=file_id).select_related("logo").first()
    if row is None or row.logo is None:
        raise Http404("no such logo")
    try:
        handle = row.logo.file.open("rb")
    except FileNotFoundError:
        raise Http404("logo content missing")
    response = FileResponse(handle, content_type=row.logo.content_type)
    response["Content-Length"] = str(row.logo.size)
    response["X-Content-Type-Options"] = "nosniff"
    # The URL names the file: a new logo gets a new URL, so the old one may be cached for long.
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def identity_edit(request: HttpRequest) -> HttpResponse:
    """The staff page: the exchange's names, contacts and logo, and the hotline (in force and
    announced). Member Management and superusers only; anyone else 403."""
    from huifu.hotline import selectors as hotline
    from huifu.hotline.forms import SettingForm
    from huifu.hotline.services import hotline_setting_record

    require_perm(request, "publicsite.change_identity")
    row = SiteIdentity.current()
    form = IdentityForm(instance=row)
    hotline_form = SettingForm(prefix="hotline")
    if request.method == "POST" and request.POST.get("action") == "hotline":
        hotline_form = SettingForm(request.POST, prefix="hotline")
        if hotline_form.is_valid():
            try:
                hotline_setting_record(actor=request.user, **hotline_form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(hotline_form, exc)
            else:
                messages.success(request, _("The hotline number is recorded."))
                return redirect("core:identity")
    elif request.method == "POST":
        form = IdentityForm(request.POST, request.FILES, instance=SiteIdentity.current())
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in IDENTITY_FIELDS}
            try:
                identity_update(
                    actor=request.user,
                    data=data,
                    logo=form.cleaned_data.get("logo_upload"),
                    remove_logo=form.cleaned_data.get("remove_logo", False),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The exchange's identity is saved."))
                return redirect("core:identity")
    return render(
        request,
        "publicsite/identity_edit.html",
        {
            "form": form,
            "hotline_form": hotline_form,
            "identity": exchange(),
            "history": hotline.setting_history()[:10],
        },
    )
