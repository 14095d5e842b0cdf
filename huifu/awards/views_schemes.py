"""The editor of a draft scheme version (indicators, bonus items, deduction table, caps and
tie-break). Thin: the owning department only (``awards.manage_programme``), a frozen scheme
sends the user back with the reason, an indicator or item of another scheme is not found (404),
each change is one service call whose refusals are shown next to the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huifu.core.http import add_service_errors, form_submitted, require_perm

from . import selectors
from .forms import BonusItemForm, ConfirmForm, DeductionTypeForm, IndicatorForm, SchemeRulesForm
from .models import SchemeVersion
from .services import (
    AwardsError,
    bonus_item_add,
    bonus_item_remove,
    bonus_item_update,
    deduction_type_remove,
    deduction_type_set,
    indicator_add,
    indicator_remove,
    indicator_update,
    scheme_update,
)
from .services.scheme_editor import indicator_subtree
from .services.schemes import _guard_draft


def _draft(request: HttpRequest, pk: int) -> tuple[SchemeVersion, HttpResponse | None]:
    """The scheme if the user may edit it; else a redirect back with the reason (frozen)."""
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    require_perm(request, "awards.manage_programme", scheme.programme)
    try:
        _guard_draft(scheme)
    except AwardsError as exc:
        messages.error(request, " ".join(exc.messages))
        return scheme, redirect("awards:scheme", scheme.pk)
    return scheme, None


def _form_page(
    request: HttpRequest,
    scheme: SchemeVersion,
    form: Any,
    *,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    if request.method == "POST" and form_submitted(request, form, lambda **data: save(data), success=done):
        return redirect("awards:scheme", scheme.pk)
    status = 400 if request.method == "POST" else 200
    context = {"scheme": scheme, "form": form, "title": title, **(extra or {})}
    return render(request, "awards/scheme_edit.html", context, status=status)


def _indicator_data(data: dict[str, Any]) -> dict[str, Any]:
    return {key: ("" if value is None else value) for key, value in data.items()}


@login_required
def indicator_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    scheme, refused = _draft(request, pk)
    if refused:
        return refused
    parent_id = request.POST.get("parent") if request.method == "POST" else request.GET.get("parent")
    parent = None
    if parent_id:
        if not str(parent_id).isdigit():
            raise Http404
        parent = get_object_or_404(scheme.indicators, pk=int(parent_id))
    form = IndicatorForm(request.POST if request.method == "POST" else None)
    title = _("Add an indicator under %(parent)s") % {"parent": parent} if parent else _("Add a top-level indicator")
    return _form_page(
        request,
        scheme,
        form,
        title=title,
        save=lambda data: indicator_add(actor=request.user, scheme=scheme, parent=parent, **_indicator_data(data)),
        done=_("The indicator is added."),
        extra={"parent": parent},
    )


@login_required
def indicator_edit_view(request: HttpRequest, pk: int, indicator_id: int) -> HttpResponse:
    scheme, refused = _draft(request, pk)
    if refused:
        return refused
    indicator = get_object_or_404(scheme.indicators, pk=indicator_id)
    initial = {f: getattr(indicator, f) for f in IndicatorForm.base_fields}
    form = IndicatorForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        scheme,
        form,
        title=_("Change the indicator %(indicator)s") % {"indicator": indicator},
        save=lambda data: indicator_update(actor=request.user, indicator=indicator, **_indicator_data(data)),
        done=_("The indicator is saved."),
    )


@login_required
def indicator_remove_view(request: HttpRequest, pk: int, indicator_id: int) -> HttpResponse:
    """A confirmation listing what goes (the indicator and its subtree), then the removal."""
    scheme, refused = _draft(request, pk)
    if refused:
        return refused
    indicator = get_object_or_404(scheme.indicators, pk=indicator_id)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = indicator_remove(actor=request.user, indicator=indicator)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Removed: %(codes)s.") % {"codes": ", ".join(codes)})
            return redirect("awards:scheme", scheme.pk)
    return render(
        request,
        "awards/scheme_remove.html",
        {"scheme": scheme, "indicator": indicator, "subtree": indicator_subtree(indicator), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def bonus_item_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    scheme, refused = _draft(request, pk)
    if refused:
        return refused
    form = BonusItemForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        scheme,
        form,
        title=_("Add a bonus item"),
        save=lambda data: bonus_item_add(actor=request.user, scheme=scheme, **data),
        done=_("The bonus item is added."),
    )


@login_required
def bonus_item_edit_view(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    scheme, refused = _draft(request, pk)
    if refused:
        return refused
    item = get_object_or_404(scheme.bonus_items, pk=item_id)
    initial = {f: getattr(item, f) for f in BonusItemForm.base_fields}
    form = BonusItemForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        scheme,
        form,
        title=_("Change the bonus item %(item)s") % {"item": item},
        save=lambda data: bonus_item_update(actor=request.user, item=item, **data),
        done=_("The bonus item is saved."),
    )


@login_required
@require_POST
def bonus_item_remove_view(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    scheme, refused = _draft(request, pk)
    if refused:
        return refused
    item = get_object_or_404(scheme.bonus_items, pk=item_id)
    bonus_item_remove(actor=request.user, item=item)
    messages.success(request, _("The bonus item is removed."))
    return redirect("awards:scheme", scheme.pk)


@login_required
def deduction_set_view(request: HttpRequest, pk: int) -> HttpResponse:
    scheme, refused = _draft(request, pk)
    if refused:
        return refused
    initial = {}
    kind = request.GET.get("kind")
    existing = scheme.deduction_types.filter(measure_kind=kind).first() if kind else None
    if existing:
        initial = {
            "measure_kind": existing.measure_kind,
            "points": existing.points,
            "to_be_checked": existing.to_be_checked,
        }
    form = DeductionTypeForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        scheme,
        form,
        title=_("Set the points of a measure type"),
        save=lambda data: deduction_type_set(actor=request.user, scheme=scheme, **data),
        done=_("The deduction table is saved."),
    )


@login_required
@require_POST
def deduction_remove_view(request: HttpRequest, pk: int, deduction_id: int) -> HttpResponse:
    scheme, refused = _draft(request, pk)
    if refused:
        return refused
    deduction = get_object_or_404(scheme.deduction_types, pk=deduction_id)
    deduction_type_remove(actor=request.user, deduction=deduction)
    messages.success(request, _("The measure type is removed from the deduction table."))
    return redirect("awards:scheme", scheme.pk)


@login_required
def scheme_rules_view(request: HttpRequest, pk: int) -> HttpResponse:
    scheme, refused = _draft(request, pk)
    if refused:
        return refused
    initial = {f: getattr(scheme, f) for f in SchemeRulesForm.base_fields}
    form = SchemeRulesForm(request.POST if request.method == "POST" else None, initial=initial)
    return _form_page(
        request,
        scheme,
        form,
        title=_("Caps and tie-break rule"),
        save=lambda data: scheme_update(actor=request.user, scheme=scheme, **data),
        done=_("The caps and the tie-break rule are saved."),
    )
