"""QuickSelect writes what Django's Select template writes; QuickModelChoiceField reads its
choices with one plain query."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huifu.core.testing.factories import OrganisationFactory
from huifu.core.widgets import QuickModelChoiceField, QuickSelect
from huifu.directory.models import Organisation

CHOICES = [
    ("", "---------"),
    (1, "期货公司 <甲>"),
    ("b", "B & co"),
    ("Group", [("g1", "一"), ("g2", "二")]),
    (None, "none"),
    ("g1", "duplicate value"),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", "b", "g1", "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "required": True, "disabled": False, "data-x": '"q"'}])
def test_quick_select_markup_is_djangos(value: object, attrs: dict | None) -> None:
    expected = forms.Select(choices=CHOICES).render("company", value, attrs)
    assert QuickSelect(choices=CHOICES).render("company", value, attrs) == expected


class _Filter(forms.Form):
    organisation = QuickModelChoiceField(queryset=Organisation.objects.none(), required=False, label_field="name_zh")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name_zh")


class _ByInstance(_Filter):
    organisation = QuickModelChoiceField(queryset=Organisation.objects.none(), required=False)


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [_Filter, _ByInstance])
def test_model_choices_one_plain_query_and_selected_value(form_class: type[forms.Form]) -> None:
    first = OrganisationFactory(name_zh="甲期货")
    OrganisationFactory(name_zh="乙期货")
    form = form_class({"organisation": str(first.pk)})
    assert form.is_valid()
    assert form.cleaned_data["organisation"] == first
    with CaptureQueriesContext(connection) as ctx:
        html = str(form["organisation"])
    assert len(ctx.captured_queries) == 1
    assert "DECLARE" not in ctx.captured_queries[0]["sql"]  # no server-side cursor
    assert f'<option value="{first.pk}" selected>甲期货</option>' in html
    assert html.count("<option") == 3
    assert not form_class({"organisation": "999999"}).is_valid()
