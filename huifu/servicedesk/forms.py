from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.core.phones import PhoneField
from huifu.directory.models import Department, Organisation
from huifu.files.kept import KeepUploadsMixin
from huifu.tracking.forms import staff_field, use_staff_choices

from .models import AnswerMode, AudienceKind, Topic


def lines(text: str) -> list[str]:
    """One entry per non-empty line, leading "1．" / "1." / "2、" numbering removed."""
    import re

    out = []
    for line in (text or "").splitlines():
        line = re.sub(r"^\s*\d+\s*[．.、)）]\s*", "", line).strip()
        if line:
            out.append(line)
    return out


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class FeedbackFormForm(KeepUploadsMixin, forms.Form):
    contact_name = forms.CharField(label=_("Contact person"), max_length=80)
    phone = PhoneField(label=pgettext_lazy("feedback form", "Phone"))
    email = forms.EmailField(label=_("E-mail"))
    form_date = forms.DateField(label=_("Form date"), widget=DateInput)
    suggestions = forms.CharField(
        label=_("Suggestions to the exchange"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One suggestion per line."),
    )
    help_requests = forms.CharField(
        label=_("Matters the exchange should help resolve"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One matter per line."),
    )
    seal_scan = forms.FileField(label=_("Company seal (scan, PDF/PNG/JPEG)"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class DraftContactForm(forms.Form):
    """Staff complete or correct the contact fields of a draft read from a document."""

    contact_name = forms.CharField(label=_("Contact person"), max_length=80)
    phone = PhoneField(label=pgettext_lazy("feedback form", "Phone"))
    email = forms.EmailField(label=_("E-mail"))
    form_date = forms.DateField(label=_("Form date"), widget=DateInput)


class AssignForm(forms.Form):
    """One item's owner (a searchable picker, staff grouped by department) and departments (ticked,
    not a Ctrl-click list; the first ticked in the list's order leads)."""

    owner = staff_field(label=_("Owner"))
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"), queryset=Department.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        use_staff_choices(self.fields["owner"])
        self.fields["departments"].queryset = Department.objects.filter(is_active=True).order_by("sort_order")


class AnswerForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: object, item: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = item.departments.all() if item is not None else Department.objects.none()


class TopicsForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(label=_("Topics"), required=False, queryset=Topic.objects.all())


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Question to the member"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ClarifyForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    mode = forms.ChoiceField(label=_("Form of reply"), choices=AnswerMode.choices)
    text = forms.CharField(
        label=_("Reply text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Leave empty to start from the departments' answers."),
    )
    meeting_at = forms.DateTimeField(label=_("Meeting time"), required=False, widget=DateTimeInput)
    meeting_minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False, min_value=15, max_value=480)
    meeting_link = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")
    attendees = forms.CharField(label=_("Exchange attendees"), required=False, max_length=500)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes of the meeting"), widget=forms.Textarea(attrs={"rows": 5}))


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CollectiveForm(forms.Form):
    mode = forms.ChoiceField(label=_("Form of answer"), choices=AnswerMode.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    meeting_at = forms.DateTimeField(label=_("Meeting time"), required=False, widget=DateTimeInput)
    meeting_link = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")
    audience_kind = forms.ChoiceField(label=_("Audience"), choices=AudienceKind.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Companies"), required=False, queryset=Organisation.objects.none()
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.order_by("name_zh")


class ReportFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
