"""Work pages (staff and member companies): list, write, authors and files, submit, compliance
review, publish, withdraw, reach figures. Thin: check a permission, call a selector or a
service, render. A POST that fails re-renders the work page with the form and its errors (400)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, form_submitted, require_perm

from . import selectors, services
from .filters import WorkFilter
from .forms import AuthorForm, DecisionForm, PublishForm, ReachForm, WithdrawForm, WorkFileForm, WorkForm
from .permissions import available_actions

PAGE_SIZE = 20


@login_required
def work_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "eduworks.view_work_list")
    filters = page_filter(WorkFilter, request, selectors.work_list(user=request.user))
    return render(
        request,
        "eduworks/list.html",
        {
            "filters": filters,
            "form": filters.form,
            "page": Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_add": request.user.has_perm("eduworks.add_work"),
            "can_dashboard": request.user.has_perm("eduworks.view_dashboard"),
        },
    )


def _detail(request: HttpRequest, work: Any, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    items = services.checklist_items()
    context = {
        "work": work,
        "actions": available_actions(user, work),
        "author_form": AuthorForm(),
        "file_form": WorkFileForm(uploader=user),
        "decision_form": DecisionForm(items=items, language=get_language()),
        "publish_form": PublishForm(),
        "withdraw_form": WithdrawForm(),
        "reach_form": ReachForm(),
        "submit_errors": [],
    }
    context.update(forms)
    return render(request, "eduworks/detail.html", context, status=status)


@login_required
def work_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "eduworks.view_work_list")
    return _detail(request, selectors.work_get(user=request.user, work_id=pk))


def _work_kwargs(form: WorkForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["products"] = list(data.get("products") or [])
    return data


@login_required
@require_http_methods(["GET", "POST"])
def work_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "eduworks.add_work")
    form = WorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            work = services.work_create(actor=request.user, **_work_kwargs(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Add the authors and files, then submit it for review."))
            return redirect(work)
    return render(request, "eduworks/form.html", {"form": form, "work": None})


@login_required
@require_http_methods(["GET", "POST"])
def work_edit(request: HttpRequest, pk: int) -> HttpResponse:
    work = selectors.work_get(user=request.user, work_id=pk)
    require_perm(request, "eduworks.change_work", work)
    if not work.is_editable:
        messages.error(request, _("Only a draft or a returned work can be changed."))
        return redirect(work)
    if request.method == "POST":
        form = WorkForm(request.POST)
        if form.is_valid():
            try:
                services.work_update(actor=request.user, work=work, **_work_kwargs(form))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect(work)
    else:
        initial = {
            name: getattr(work, name)
            for name in (
                "kind",
                "title",
                "summary",
                "audiences",
                "link",
                "rights_owner",
                "licence",
                "rights_until",
                "third_party_cleared",
                "third_party_note",
            )
        }
        initial["products"] = list(work.products.all())
        form = WorkForm(initial=initial)
    return render(request, "eduworks/form.html", {"form": form, "work": work})


def _post_action(request: HttpRequest, pk: int, perm: str) -> Any:
    work = selectors.work_get(user=request.user, work_id=pk)
    require_perm(request, perm, work)
    return work


@login_required
@require_POST
def author_add(request: HttpRequest, pk: int) -> HttpResponse:
    work = _post_action(request, pk, "eduworks.change_work")
    form = AuthorForm(request.POST)
    add = partial(services.work_author_add, actor=request.user, work=work)
    if form_submitted(request, form, add, success=_("Author added.")):
        return redirect(work)
    return _detail(request, work, status=400, author_form=form)


@login_required
@require_POST
def author_remove(request: HttpRequest, pk: int, author_id: int) -> HttpResponse:
    work = _post_action(request, pk, "eduworks.change_work")
    author = get_object_or_404(work.authors.all(), pk=author_id)
    try:
        services.work_author_remove(actor=request.user, author=author)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(work)


@login_required
@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    work = _post_action(request, pk, "eduworks.change_work")
    form = WorkFileForm(request.POST, request.FILES, uploader=request.user)

    def add(*, file: Any, caption: str, **_kept: Any) -> Any:
        return services.work_file_add(actor=request.user, work=work, upload=file, caption=caption)

    if form_submitted(request, form, add, success=_("File added.")):
        return redirect(work)
    return _detail(request, work, status=400, file_form=form)


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    work = _post_action(request, pk, "eduworks.change_work")
    item = get_object_or_404(work.files.all(), pk=file_id)
    try:
        services.work_file_remove(actor=request.user, item=item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(work)


@login_required
@require_POST
def work_submit(request: HttpRequest, pk: int) -> HttpResponse:
    work = _post_action(request, pk, "eduworks.change_work")
    try:
        services.work_submit(actor=request.user, work=work)
    except ValidationError as exc:
        return _detail(request, work, status=400, submit_errors=exc.messages)
    messages.success(request, _("Submitted for compliance review."))
    return redirect(work)


@login_required
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    work = selectors.work_get(user=request.user, work_id=pk)
    try:
        services.work_review_start(actor=request.user, work=work)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(work)
    messages.success(request, _("You review this work now: tick the checklist and decide."))
    return redirect(work)


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    work = selectors.work_get(user=request.user, work_id=pk)
    require_perm(request, "eduworks.review_work", work)
    items = services.checklist_items()
    form = DecisionForm(request.POST, items=items, language=get_language())

    def decide(*, decision: str, ticked: list[str], note: str) -> Any:
        return services.work_review_decide(
            actor=request.user, work=work, approve=decision == "approve", ticked=ticked, note=note
        )

    if form_submitted(request, form, decide, success=_("Decision recorded; the author is told.")):
        return redirect(work)
    return _detail(request, work, status=400, decision_form=form)


@login_required
@require_POST
def work_publish(request: HttpRequest, pk: int) -> HttpResponse:
    work = _post_action(request, pk, "eduworks.publish_work")
    form = PublishForm(request.POST)
    publish = partial(services.work_publish, actor=request.user, work=work)
    if form_submitted(request, form, publish, success=_("The work is published.")):
        return redirect(work)
    return _detail(request, work, status=400, publish_form=form)


@login_required
@require_POST
def work_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    work = _post_action(request, pk, "eduworks.withdraw_work")
    form = WithdrawForm(request.POST)
    withdraw = partial(services.work_withdraw, actor=request.user, work=work)
    if form_submitted(request, form, withdraw, success=_("The work is withdrawn.")):
        return redirect(work)
    return _detail(request, work, status=400, withdraw_form=form)


@login_required
@require_POST
def reach_add(request: HttpRequest, pk: int) -> HttpResponse:
    work = _post_action(request, pk, "eduworks.enter_reach")
    form = ReachForm(request.POST)
    record = partial(services.reach_record, actor=request.user, work=work)
    if form_submitted(request, form, record, success=_("Reach figures saved.")):
        return redirect(f"{work.get_absolute_url()}#reach")
    return _detail(request, work, status=400, reach_form=form)


@login_required
@require_POST
def reach_remove(request: HttpRequest, pk: int, figure_id: int) -> HttpResponse:
    work = _post_action(request, pk, "eduworks.enter_reach")
    figure = get_object_or_404(work.reach.all(), pk=figure_id)
    services.reach_remove(actor=request.user, figure=figure)
    messages.success(request, _("Reach figures removed."))
    return redirect(f"{work.get_absolute_url()}#reach")
