"""Forms of the calendar pages. They only parse input; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .engine import MAX_WORKING_DAYS
from .models import MAX_YEAR, MIN_YEAR, HolidayName, SpecialDayKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _check_year_range(value: Any) -> None:
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Dates must be between the years %(min)s and %(max)s."), params={"min": MIN_YEAR, "max": MAX_YEAR}
        )


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the field it names (or on top of the form)."""
    error_dict = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    for field, errors in error_dict.items():
        target = field if field in form.fields else None
        for message in ValidationError(errors).messages:
            form.add_error(target, message)


class SpecialDayForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput(), validators=[_check_year_range])
    kind = forms.ChoiceField(label=_("Kind"), choices=SpecialDayKind.choices, widget=forms.RadioSelect)
    holiday = forms.ChoiceField(label=_("Holiday"), choices=HolidayName.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Required when the holiday is “Other”, e.g. the name of a one-off holiday."),
    )

    def __init__(self, *args: Any, fixed_day: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_day:
            # Changing an existing day: the date is the record's identity; remove and add to move it.
            self.fields["day"].disabled = True


class YearPublishForm(forms.Form):
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("E.g. the State Council notice number “国办发明电〔2025〕7号”, or “chinesecalendar 1.11.0”."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CalculatorForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=DateInput(), validators=[_check_year_range])
    days = forms.IntegerField(
        label=pgettext_lazy("count", "Working days"),
        min_value=-MAX_WORKING_DAYS,
        max_value=MAX_WORKING_DAYS,
        help_text=_("Counting starts the day after the start date; a negative number counts back."),
    )
