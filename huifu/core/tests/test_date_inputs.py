"""A saved date must come back into <input type="date"> in Chinese (the default) as in English."""

import datetime

import pytest
from django import forms
from django.utils import translation


class _DateForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_date_input_renders_iso_so_the_browser_keeps_it(language):
    with translation.override(language):
        html = str(_DateForm(initial={"day": datetime.date(2026, 12, 3)})["day"])
    assert 'value="2026-12-03"' in html


@pytest.mark.parametrize("typed", ["2026-12-03", "2026/12/03", "2026年12月3日"])
def test_chinese_ways_of_typing_a_date_are_still_read(typed):
    with translation.override("zh-hans"):
        form = _DateForm(data={"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 12, 3)


class _MomentForm(forms.Form):
    # No explicit format: the formats module's first DATETIME_INPUT_FORMATS entry renders it.
    at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_datetime_input_without_a_format_renders_iso_in_chinese_too(language):
    with translation.override(language):
        html = str(_MomentForm(initial={"at": datetime.datetime(2026, 12, 3, 9, 30)})["at"])
    assert 'value="2026-12-03 09:30' in html
