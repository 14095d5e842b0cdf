"""The session list's filters, declared once (``huifu.core.filters``): the page and the API use them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huifu.core.filters import FilterSet, IntegerFilter

from .models import Session


class SessionFilter(FilterSet):
    year = IntegerFilter(label=_("Year"), field_name="date__year", min_value=2000, max_value=2100)

    class Meta:
        model = Session
        fields: list[str] = []
