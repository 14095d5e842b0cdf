"""The plan list's filters, declared once (``huifu.core.filters``): the page and the API use them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from huifu.core.filters import FilterSet, IntegerFilter, QuickChoiceFilter

from . import selectors
from .models import DeepeningPlan, EnterpriseSituation, PlanStatus


class PlanFilter(FilterSet):
    status = QuickChoiceFilter(label=_("Status"), choices=PlanStatus.choices, empty_label=_("All states"))
    year = IntegerFilter(label=_("Year"), min_value=2000, max_value=2100)
    situation = QuickChoiceFilter(
        label=_("Enterprise situation"),
        choices=EnterpriseSituation.choices,
        empty_label=_("Any situation"),
        method="with_situation",
    )
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)

    class Meta:
        model = DeepeningPlan
        fields: list[str] = []

    @property
    def year_shown(self) -> int | None:
        """The year filtered on, when valid (the page's export link and heading use it)."""
        self.is_valid()
        return getattr(self.form, "cleaned_data", {}).get("year")

    def with_situation(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return selectors.plan_with_situation(queryset, value)

    def search(self, queryset, name, value):  # noqa: ARG002
        return selectors.plan_search(queryset, value, user=self.request.user)
