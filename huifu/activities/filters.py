"""The activity list's filters, declared once (``huifu.core.filters``): the page and the API use them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from huifu.core.filters import FilterSet, IntegerFilter, QuickChoiceFilter

from . import selectors
from .models import Activity, ActivityStatus


class ActivityFilter(FilterSet):
    status = QuickChoiceFilter(label=_("Status"), choices=ActivityStatus.choices, empty_label=_("All"))
    year = IntegerFilter(label=_("Year"), field_name="activity_type__year", min_value=2000, max_value=2100)
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)

    class Meta:
        model = Activity
        fields: list[str] = []

    @property
    def year_shown(self) -> int | None:
        """The year filtered on, when valid (the page links that year's guideline)."""
        self.is_valid()
        return getattr(self.form, "cleaned_data", {}).get("year")

    def search(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return selectors.activity_search(queryset, value)
