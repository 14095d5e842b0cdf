"""Filters declared once per list (django-filter ``FilterSet``) and used by both the page and the
API list of the same records, so the two can never filter differently.

An app declares ``<app>/filters.py`` with one FilterSet per list, applied to the queryset its
selector already scoped to the user (never to ``Model.objects``). The page calls
:func:`page_filter` and renders ``filters.form`` with ``core/_filter_fields.html``; the API calls
:func:`api_filter`. Filters add WHERE clauses only: the query count stays constant, and the
selector's ordering (which keyset/cursor pagination relies on) is kept.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from huifu.core.widgets import QuickModelChoiceField, QuickSelect

FilterSet = django_filters.FilterSet


class QuickChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter drawn as a ``QuickSelect`` (``searchable=True`` for long lists); an unknown
    value is an error naming the field, never ignored."""

    def __init__(self, *args: Any, searchable: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", QuickSelect(searchable=searchable))
        super().__init__(*args, **kwargs)


class IntegerFilter(django_filters.Filter):
    """A whole number (a year, ``min_value``/``max_value`` as the form field's): anything else is
    an error naming the field (django-filter's ``NumberFilter`` would take "2025.5")."""

    field_class = forms.IntegerField


class IdFilter(IntegerFilter):
    """A record's id given as a number (``?form=12``): a value that is not a whole number is an
    error naming the field; an id the user may not read simply matches nothing in the scoped list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)


class QuickModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A record picker (company, department, …) read with one plain query (``QuickModelChoiceField``;
    ``label_field`` names the label column). A non-numeric or unknown id is an error naming the field."""

    field_class = QuickModelChoiceField


def page_filter(filterset_class: type[FilterSet], request: Any, queryset: QuerySet, **kwargs: Any) -> FilterSet:
    """The FilterSet bound to the page's query string (unbound without one, so an untouched
    form shows no errors). ``.qs`` ignores a parameter that is not valid and ``.form`` shows its
    error next to the field."""
    data = request.GET if request.GET else None
    return filterset_class(data, queryset=queryset, request=request, **kwargs)


def api_filter(filterset_class: type[FilterSet], request: Any, queryset: QuerySet, **kwargs: Any) -> QuerySet:
    """The filtered queryset for an API list, or 400 with a message for each bad parameter."""
    return api_filter_qs(filterset_class(request.query_params, queryset=queryset, request=request, **kwargs))


def api_filter_qs(filters: FilterSet) -> QuerySet:
    """``filters.qs`` of a FilterSet bound to an API request's parameters, or 400 with a message for
    each bad parameter (for a view that also reads the FilterSet, e.g. a search it pages itself)."""
    if not filters.is_valid():
        raise ValidationError({name: [str(e) for e in errors] for name, errors in filters.errors.items()})
    return filters.qs
