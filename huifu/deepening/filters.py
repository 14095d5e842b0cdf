"""The plan and profile lists' filters, declared once (``huifu.core.filters``): each used by its page and its API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from huifu.core.filters import FilterSet, IntegerFilter, QuickChoiceFilter
from huifu.directory.regions import Region

from . import selectors
from .models import DeepeningPlan, EnterpriseProfile, EnterpriseSituation, PlanStatus, profile_region_q


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


class ProfileFilter(FilterSet):
    situation = QuickChoiceFilter(
        label=_("Situation"), choices=EnterpriseSituation.choices, empty_label=_("Any situation")
    )
    region = QuickChoiceFilter(
        label=_("Region"), choices=Region.choices, empty_label=_("Any region"), method="in_region", searchable=True
    )
    key_only = django_filters.BooleanFilter(
        label=_("Key enterprises only"), widget=forms.CheckboxInput, method="key_enterprises"
    )
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)

    class Meta:
        model = EnterpriseProfile
        fields: list[str] = []

    def in_region(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return queryset.filter(profile_region_q(value))

    def key_enterprises(self, queryset, name, value):  # noqa: ARG002
        return queryset.filter(is_key_enterprise=True) if value else queryset

    def search(self, queryset, name, value):  # noqa: ARG002
        return selectors.profile_search(queryset, value)
