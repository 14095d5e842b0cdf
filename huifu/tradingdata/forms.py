from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huifu.files.kept import KeepUploadsMixin

from .models import ImportMode


class UploadForm(KeepUploadsMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Huifu daily statistics as .csv or .xlsx (layout in the help below), or a public ranking "
            "file pmYYYYMMDD.dat."
        ),
    )
    mode = forms.ChoiceField(
        label=_("Daily statistics"),
        choices=ImportMode.choices,
        initial=ImportMode.REPLACE_DAYS,
        required=False,
        widget=forms.RadioSelect,
    )
    confirm_replace = forms.BooleanField(
        label=_("Replace the whole trading days even if the file brings fewer rows than it removes"),
        required=False,
    )


class ClosureForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200)
