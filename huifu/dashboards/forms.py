from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .defaults import DEFINITIONS


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={
            "invalid": _("Year: give a year as a number, such as 2025."),
            "min_value": _("Year: give a year from 2000 to 2100."),
            "max_value": _("Year: give a year from 2000 to 2100."),
        },
    )


class DefinitionForm(forms.Form):
    key = forms.ChoiceField(label=pgettext_lazy("dashboards", "Figure"), choices=[(k, k) for k in DEFINITIONS])
    year = forms.IntegerField(label=pgettext_lazy("dashboards", "From year"), min_value=2000, max_value=2100)
    text_zh = forms.CharField(label=_("Definition (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(label=_("Definition (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ThresholdForm(forms.Form):
    year = forms.IntegerField(label=pgettext_lazy("dashboards", "From year"), min_value=2000, max_value=2100)
    minimum = forms.IntegerField(label=_("Smallest count shown"), min_value=1, max_value=1000)
