"""The certificate list's filters, declared once: the page and the API use them."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.core.filters import FilterSet

from .models import Certificate, CertificateKind, CertificateState


class CertificateFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=CertificateKind.choices, empty_label=_("All kinds"))
    state = django_filters.ChoiceFilter(
        label=pgettext_lazy("certificate", "State"), choices=CertificateState.choices, empty_label=_("All states")
    )
    q = django_filters.CharFilter(
        label=_("Number or name"), method="search", max_length=100, help_text=_("e.g. 2026-000123")
    )

    class Meta:
        model = Certificate
        fields: list[str] = []

    def search(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        text = " ".join(str(value).split())
        if not text:
            return queryset
        return queryset.filter(Q(number__icontains=text) | Q(holder_name__icontains=text) | Q(title__icontains=text))
