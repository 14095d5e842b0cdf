"""The Member Voice lists' filters, declared once (``huifu.core.filters``): the feedback form list
(page and API, staff and members) and the item list (API). Each filters the queryset the user may
read (``selectors.forms_for`` / ``items_for``); the form list's text search is not a filter here —
``selectors.form_row_parts`` pages its matches by keyset — so ``FormFilter.search`` hands it over."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from huifu.accounts.predicates import is_staff_user
from huifu.core.filters import FilterSet, IdFilter, QuickChoiceFilter, QuickModelChoiceFilter
from huifu.core.widgets import QuickSelect
from huifu.directory.models import Organisation

from . import selectors
from .models import Channel, FeedbackForm, FeedbackItem, FormStatus, ItemStatus


class FormFilter(FilterSet):
    status = QuickChoiceFilter(
        label=_("Status"), choices=[("open", _("Open")), *FormStatus.choices], empty_label=_("All"), method="in_status"
    )
    organisation = QuickModelChoiceFilter(
        label=_("Company"),
        queryset=Organisation.objects.order_by("name_zh"),
        label_field="name_zh",
        empty_label=_("All"),
        widget=QuickSelect(searchable=True),
    )
    channel = QuickChoiceFilter(label=_("Channel"), choices=Channel.choices, empty_label=_("All"))
    q = django_filters.CharFilter(label=_("Search"), method="searched_by_parts", max_length=100)

    class Meta:
        model = FeedbackForm
        fields: list[str] = []

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is None or not is_staff_user(request.user):
            # a member's list is its own company's forms: no company to choose, no text search
            del self.filters["organisation"], self.filters["q"]

    @property
    def search(self) -> str:
        """The text searched for (staff), "" without one or when it is not valid."""
        if "q" not in self.filters:
            return ""
        self.is_valid()  # cleans a bound form: cleaned_data then holds the valid values
        return (getattr(self.form, "cleaned_data", {}).get("q") or "").strip()

    def in_status(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return queryset.filter(selectors.form_status_q(value))

    def searched_by_parts(self, queryset, name, value):  # noqa: ARG002
        return queryset


class ItemFilter(FilterSet):
    form = IdFilter(label=_("Form"), field_name="form_id")
    topic = IdFilter(label=_("Topic"), field_name="topics")
    status = QuickChoiceFilter(label=_("Status"), choices=ItemStatus.choices, empty_label=_("All"))

    class Meta:
        model = FeedbackItem
        fields: list[str] = []
