"""The case list's filters, declared once (``huifu.core.filters``): the page and the API use them.
State and audience are case managers' filters; readers only see published cases of their audience."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from huifu.core.filters import FilterSet, QuickChoiceFilter

from . import selectors
from .models import Case, CaseAudience, CaseStatus


class CaseFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    industry = django_filters.CharFilter(label=_("Industry"), method="in_industry", max_length=100)
    product = django_filters.CharFilter(label=_("Product"), method="about_product", max_length=50)
    status = QuickChoiceFilter(label=_("Status"), choices=CaseStatus.choices, empty_label=_("All states"))
    audience = QuickChoiceFilter(label=_("Audience"), choices=CaseAudience.choices, empty_label=_("Any audience"))

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is None or not request.user.has_perm("cases.manage_cases"):
            del self.filters["status"], self.filters["audience"]

    def search(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return selectors.case_search(queryset, value, user=self.request.user)

    def in_industry(self, queryset, name, value):  # noqa: ARG002
        return queryset.filter(industry__icontains=value.strip()) if value.strip() else queryset

    def about_product(self, queryset, name, value):  # noqa: ARG002
        return queryset.filter(products_text__icontains=value.strip()) if value.strip() else queryset
