"""The product list's filters, declared once (``huifu.core.filters``): the page and the API use them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from huifu.core.filters import FilterSet, QuickChoiceFilter

from . import selectors
from .models import Product, ProductKind, exchange_choices


class ProductFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    exchange = QuickChoiceFilter(label=_("Exchange"), choices=exchange_choices, empty_label=_("All"))
    kind = QuickChoiceFilter(label=_("Kind"), choices=ProductKind.choices, empty_label=_("All"))

    class Meta:
        model = Product
        fields: list[str] = []

    def search(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return selectors.product_search(queryset, value)
