"""Forms of the follow-up pages: the survey (built from ``surveys.QUESTIONS``) and a series'
reminder and survey periods."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.surveys import COMMENT_MAX_LENGTH, QUESTIONS, RATINGS

RATING_CHOICES = [(n, str(n)) for n in RATINGS]


class SurveyForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments and suggestions"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ratings = {
            q.key: forms.TypedChoiceField(
                label=q.label,
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "rating"}),
                help_text=_("1 = very dissatisfied, 5 = very satisfied"),
                error_messages={"required": _("Choose a rating from 1 to 5.")},
            )
            for q in QUESTIONS
        }
        self.fields = {**ratings, **self.fields}

    def ratings(self) -> dict[str, Any]:
        return {q.key: self.cleaned_data.get(q.key) for q in QUESTIONS}


class SeriesFollowupForm(forms.Form):
    reminder_working_days = forms.IntegerField(
        label=_("Remind participants (working days before the session)"), min_value=0, max_value=20
    )
    staff_reminder_working_days = forms.IntegerField(
        label=_("Remind staff of open tasks (working days before the session)"), min_value=0, max_value=20
    )
    survey_working_days = forms.IntegerField(
        label=_("Survey open for (working days after the session)"), min_value=1, max_value=30
    )
    speaker_reminder_working_days = forms.IntegerField(
        label=_("Remind invited speakers (working days before the reply date)"),
        min_value=0,
        max_value=20,
        help_text=_("0: remind only on the reply date itself."),
    )
