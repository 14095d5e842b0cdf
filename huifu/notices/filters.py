"""The notice lists' filters, declared once (``huifu.core.filters``): the reader's list and the staff's
list each have one FilterSet, used by the page and by the API (which answers staff with the staff list)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.core.filters import FilterSet, QuickChoiceFilter

from . import selectors
from .models import Notice, NoticeCategory, NoticeStatus


class ReaderNoticeFilter(FilterSet):
    show = QuickChoiceFilter(
        label=pgettext_lazy("filter", "Show"),
        choices=[("unread", _("Unread only"))],
        empty_label=_("All notices"),
        method="unread_only",
    )
    # the API's older spelling of show=unread (?unread=1 or true); not drawn on the page
    unread = django_filters.BooleanFilter(method="unread_only", widget=forms.HiddenInput)
    category = QuickChoiceFilter(label=_("Category"), choices=NoticeCategory.choices, empty_label=_("All categories"))
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)

    class Meta:
        model = Notice
        fields: list[str] = []

    def unread_only(self, queryset, name, value):  # noqa: ARG002 (django-filter's method signature)
        return queryset.filter(is_read=False) if value else queryset

    def search(self, queryset, name, value):  # noqa: ARG002
        return selectors.notice_reader_search(queryset, value)


class StaffNoticeFilter(FilterSet):
    status = QuickChoiceFilter(label=_("Status"), choices=NoticeStatus.choices, empty_label=_("All states"))
    category = QuickChoiceFilter(label=_("Category"), choices=NoticeCategory.choices, empty_label=_("All categories"))
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)

    class Meta:
        model = Notice
        fields: list[str] = []

    def search(self, queryset, name, value):  # noqa: ARG002
        return selectors.notice_staff_search(queryset, value)
