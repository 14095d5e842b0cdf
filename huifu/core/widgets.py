"""Choice fields for filters shown on every list view (issue #9).

Django renders each ``<option>`` through two template includes (``select_option.html`` and
``attrs.html``) and reads a ``ModelChoiceField``'s rows through a server-side cursor (three round
trips on PostgreSQL) as full model instances. For a company filter with a few hundred companies
that was about half the CPU time of the work queue, more than its queries. ``QuickSelect`` writes
the same markup in Python; ``QuickModelChoiceField`` reads (pk, label) pairs with one plain query.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import SafeString, mark_safe


def _escape(value: Any) -> str:
    """``conditional_escape`` without its lazy-argument checks (a few microseconds per call)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class QuickSelect(forms.Select):
    """A single-choice ``Select`` whose options are written in Python; the markup is Django's
    (``huifu/core/tests/test_widgets.py`` compares both), option groups included.

    ``searchable=True`` makes it a searchable picker for long lists (companies, staff): a search
    box in front whose typing hides the options that do not contain the text and chooses the
    first that does (``data-filter-options`` in huifu.js); without JavaScript a plain select.
    ``follow="id"``: the option groups are named after the choices of that other select (e.g.
    owners grouped by department), and choosing there shows only the matching group;
    ``fill_leader=True``: choosing here while that select is empty fills it with this option's
    group (an owner's only department is preselected)."""

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        choices: Any = (),
        *,
        searchable: bool = False,
        follow: str = "",
        fill_leader: bool = False,
    ) -> None:
        super().__init__(attrs, choices)
        self.searchable = searchable
        self.follow = follow
        self.fill_leader = fill_leader

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        if self.follow:
            attrs = {**(attrs or {}), "data-follow": self.follow}
            if self.fill_leader:
                attrs["data-fill-leader"] = True
        select = self._render_select(name, value, attrs)
        if not self.searchable:
            return select
        from django.utils.translation import gettext

        select_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        if "id" not in (attrs or {}) and "id" not in self.attrs:
            select = mark_safe(select.replace("<select ", f'<select id="{_escape(select_id)}" ', 1))  # noqa: S308
        hint = _escape(gettext("Type to search"))
        return mark_safe(  # noqa: S308 — escaped above
            f'<span class="picker"><input type="search" class="picker-search" autocomplete="off"'
            f' data-filter-options="{_escape(select_id)}" placeholder="{hint}" aria-label="{hint}">{select}</span>'
        )

    def _render_select(self, name: str, value: Any, attrs: dict[str, Any] | None) -> SafeString:
        values = self.format_value(value)
        selected = False

        def option(option_value: Any, label: Any) -> str:
            nonlocal selected
            option_value = "" if option_value is None else str(option_value)
            chosen = not selected and option_value in values
            selected |= chosen
            return f'\n  <option value="{_escape(option_value)}"{" selected" if chosen else ""}>{_escape(label)}</option>\n'

        parts = [f'<select name="{_escape(name)}"']
        for attr, attr_value in self.build_attrs(self.attrs, attrs).items():  # as attrs.html
            if attr_value is True:
                parts.append(f" {_escape(attr)}")
            elif attr_value is not False:
                parts.append(f' {_escape(attr)}="{_escape(attr_value)}"')
        parts.append(">")
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{_escape(option_value)}">')
                parts.extend(option(sub_value, sub_label) for sub_value, sub_label in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value above is escaped


class _PlainModelChoiceIterator(ModelChoiceIterator):
    """Reads the choices with one ordinary query (``ModelChoiceIterator`` uses ``iterator()``:
    a server-side cursor on PostgreSQL, three round trips for a list of a few hundred rows), as
    (pk, label) pairs when the field names its label column."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.label_field:
            yield from self.queryset.values_list("pk", self.field.label_field)
            return
        for obj in self.queryset:
            yield self.choice(obj)


class QuickModelChoiceField(forms.ModelChoiceField):
    """``ModelChoiceField`` for list filters: one plain query, options written by ``QuickSelect``.
    ``label_field``: the column that holds each option's label (what ``__str__`` shows), read
    without building model instances; without it the labels are ``label_from_instance``."""

    widget = QuickSelect
    iterator = _PlainModelChoiceIterator

    def __init__(self, *args: Any, label_field: str = "", **kwargs: Any) -> None:
        self.label_field = label_field
        super().__init__(*args, **kwargs)
