"""Forms of the online-attendance pages: upload, column mapping, confirmation, rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huifu.files.kept import KeepUploadsMixin

from .attendance_analysis import FIELD_LABELS, FIELDS, HEADER_LINES, TimeFormat


class AttendanceUploadForm(KeepUploadsMixin, forms.Form):
    file = forms.FileField(
        label=_("Participant list"),
        help_text=_("The meeting platform's export as .csv (UTF-8 or GBK/GB18030) or .xlsx; layout below."),
    )
    platform = forms.CharField(
        label=_("Platform"),
        max_length=100,
        required=False,
        help_text=_("The column mapping chosen for a platform is remembered for its next files."),
    )


class AttendanceMappingForm(forms.Form):
    """Which line is the header and which of its columns holds each field."""

    header_index = forms.TypedChoiceField(label=_("Header line"), coerce=int)
    time_format = forms.ChoiceField(label=_("Time format"), choices=TimeFormat.CHOICES)

    def __init__(self, *args: Any, lines: list[list[str]], line_numbers: list[int], header_index: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["header_index"].choices = [
            (i, f"{line_numbers[i]}: {' | '.join(c for c in line if c)[:80]}")
            for i, line in enumerate(lines[:HEADER_LINES])
        ]
        header = lines[header_index] if 0 <= header_index < len(lines) else []
        choices = [("", _("— not in the file —"))] + [(text, text) for text in dict.fromkeys(header) if text]
        for name in FIELDS:
            self.fields[f"col_{name}"] = forms.ChoiceField(label=FIELD_LABELS[name], choices=choices, required=False)

    def mapping(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "header_index": data["header_index"],
            "time_format": data["time_format"],
            "columns": {name: data[f"col_{name}"] for name in FIELDS if data.get(f"col_{name}")},
        }


class AttendanceConfirmForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    accept_problems = forms.BooleanField(
        label=_("Leave out the lines with problems listed above and import the others"), required=False
    )


class AttendanceRuleForm(forms.Form):
    SCOPES = (("session", _("This session")), ("series", _("The whole series (sessions not yet imported)")))

    scope = forms.ChoiceField(label=_("Applies to"), choices=SCOPES, widget=forms.RadioSelect, initial="session")
    min_percent = forms.IntegerField(
        label=_("Attended when present online for at least (% of the scheduled time)"), min_value=1, max_value=100
    )
