"""The visit list's filters, declared once (``huifu.core.filters``): the page and the API use them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from huifu.core.filters import FilterSet, QuickChoiceFilter

from . import selectors
from .models import VisitRequest, VisitStatus


class VisitFilter(FilterSet):
    status = QuickChoiceFilter(label=_("Status"), choices=VisitStatus.choices, empty_label=_("All states"))
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)

    class Meta:
        model = VisitRequest
        fields: list[str] = []

    def search(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return selectors.visit_search(queryset, value)
