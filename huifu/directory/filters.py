"""The organisation list's filters, declared once (``huifu.core.filters``): the page and the API use them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from huifu.core.filters import FilterSet, QuickChoiceFilter

from . import selectors
from .models import Organisation, OrganisationKind, OrganisationStatus, Region


class OrganisationListFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=100,
        help_text=_("Name, short name, member number or credit code"),
    )
    kind = QuickChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds"))
    status = QuickChoiceFilter(label=_("Status"), choices=OrganisationStatus.choices, empty_label=_("All statuses"))
    region = QuickChoiceFilter(label=_("Region"), choices=Region.choices, empty_label=_("All regions"))

    class Meta:
        model = Organisation
        fields: list[str] = []

    def search(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return selectors.organisation_search(queryset, value)
