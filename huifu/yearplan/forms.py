from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ArrangementYear, Programme


class YearForm(forms.ModelForm):
    class Meta:
        model = ArrangementYear
        fields = ["as_of", "preface", "closing", "hotline_note", "pilots_note", "hotline_announced"]
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}),
            "preface": forms.Textarea(attrs={"rows": 8}),
            "closing": forms.Textarea(attrs={"rows": 3}),
            "hotline_note": forms.Textarea(attrs={"rows": 2}),
            "pilots_note": forms.Textarea(attrs={"rows": 2}),
        }


class NewYearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    as_of = forms.DateField(label=_("facts as of"), widget=forms.DateInput(attrs={"type": "date"}))


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["key", "part", "position", "title", "workflow", "background", "introduction", "procedure", "support"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in ("background", "introduction", "support")} | {
            "procedure": forms.Textarea(attrs={"rows": 3})
        }
