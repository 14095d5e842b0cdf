"""The call list's filters, declared once (``huifu.core.filters``): the page and the API use them."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.core.filters import FilterSet

from . import selectors
from .models import CallTopic, FollowUpStatus, HotlineCall


class CallFilter(FilterSet):
    topic = django_filters.ChoiceFilter(
        label=pgettext_lazy("call", "Topic"), choices=CallTopic.choices, empty_label=_("All topics")
    )
    follow_up = django_filters.ChoiceFilter(
        field_name="follow_up_status", label=_("Follow-up"), choices=FollowUpStatus.choices, empty_label=_("All calls")
    )
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)

    class Meta:
        model = HotlineCall
        fields: list[str] = []

    def search(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return selectors.call_search(queryset, value)
