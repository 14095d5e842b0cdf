"""The work lists' filters, declared once (``huifu.core.filters``): the staff/member page, the API
and the public page use them on querysets their selectors have already scoped."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.core.filters import FilterSet, QuickModelChoiceFilter
from huifu.products.models import Product

from .models import Work, WorkKind, WorkState


def _products(request=None):  # noqa: ANN001, ANN202, ARG001 (django-filter passes the request)
    return Product.objects.filter(is_active=True).order_by("code")


class PublicWorkFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=WorkKind.choices, empty_label=_("All kinds"))
    product = QuickModelChoiceFilter(
        field_name="products",
        label=_("Product"),
        queryset=_products,
        label_field="name_zh",
        empty_label=_("All products"),
    )

    class Meta:
        model = Work
        fields: list[str] = []


class WorkFilter(PublicWorkFilter):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=WorkState.choices, empty_label=pgettext_lazy("eduworks", "All states")
    )
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    waiting = django_filters.ChoiceFilter(
        label=pgettext_lazy("eduworks", "Waiting"),
        choices=[("my_review", pgettext_lazy("eduworks", "Waiting for my review"))],
        empty_label=pgettext_lazy("eduworks", "All works"),
        method="waiting_for",
    )

    class Meta:
        model = Work
        fields: list[str] = []

    def waiting_for(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        from .selectors import review_queue

        user = getattr(self.request, "user", None)
        return queryset.filter(pk__in=review_queue(user=user).values("pk")) if value == "my_review" else queryset

    def search(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))
