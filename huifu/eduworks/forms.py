"""Forms for the work pages; the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.files.kept import KeepUploadsMixin
from huifu.products.models import Product

from .models import Audience, AuthorKind, BaseKind, Channel, Licence, WorkKind


class MonthField(forms.DateField):
    """A month (``<input type="month">``, 2026-05); the value is the month's first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class WorkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    products = forms.ModelMultipleChoiceField(
        label=_("Products covered"),
        required=False,
        queryset=Product.objects.filter(is_active=True).order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    audiences = forms.MultipleChoiceField(
        label=pgettext_lazy("eduworks", "Audience"),
        required=False,
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    link = forms.URLField(
        assume_scheme="https",
        label=pgettext_lazy("eduworks", "Online address"),
        required=False,
        max_length=500,
        help_text=pgettext_lazy("eduworks", "Where the work can be seen or played, e.g. the video page."),
    )
    rights_owner = forms.CharField(label=pgettext_lazy("eduworks", "Rights owner"), max_length=200)
    licence = forms.ChoiceField(label=pgettext_lazy("eduworks", "Licence"), choices=Licence.choices)
    rights_until = forms.DateField(
        label=pgettext_lazy("eduworks", "Rights valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=pgettext_lazy("eduworks", "Empty: without end."),
    )
    third_party_cleared = forms.BooleanField(
        label=pgettext_lazy("eduworks", "Third-party material (images, music, footage) is cleared"), required=False
    )
    third_party_note = forms.CharField(
        label=pgettext_lazy("eduworks", "Note on third-party material"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=pgettext_lazy("eduworks", "What is used and how the rights are settled; required when not cleared."),
    )


class AuthorForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("eduworks", "Author type"), choices=AuthorKind.choices)
    name = forms.CharField(label=pgettext_lazy("eduworks", "Name"), max_length=100)
    affiliation = forms.CharField(
        label=pgettext_lazy("eduworks", "Affiliation"),
        max_length=200,
        required=False,
        help_text=pgettext_lazy("eduworks", "Company, department or institution."),
    )


class WorkFileForm(KeepUploadsMixin, forms.Form):
    file = forms.FileField(
        label=pgettext_lazy("eduworks", "File"), help_text=pgettext_lazy("eduworks", "Image, PDF, Word or PowerPoint.")
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("eduworks", "Decision"),
        choices=[
            ("approve", pgettext_lazy("eduworks", "Approve")),
            ("return", pgettext_lazy("eduworks", "Return for revision")),
        ],
        widget=forms.RadioSelect,
    )
    ticked = forms.MultipleChoiceField(
        label=_("Compliance checklist"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    note = forms.CharField(
        label=pgettext_lazy("eduworks", "Reason / review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=pgettext_lazy("eduworks", "Required when returning: what must be changed."),
    )

    def __init__(self, *args, items=(), language: str = "zh-hans", **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["ticked"].choices = [(i.code, i.label(language)) for i in items]


class PublishForm(forms.Form):
    channel = forms.ChoiceField(label=pgettext_lazy("eduworks", "Publication channel"), choices=Channel.choices)
    published_on = forms.DateField(
        label=pgettext_lazy("eduworks", "Publication date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReachForm(forms.Form):
    month = MonthField(label=_("Month"))
    channel = forms.ChoiceField(label=pgettext_lazy("eduworks", "Channel"), choices=Channel.choices)
    views = forms.IntegerField(label=pgettext_lazy("eduworks", "Views"), required=False, initial=0)
    plays = forms.IntegerField(label=pgettext_lazy("eduworks", "Plays"), required=False, initial=0)
    likes = forms.IntegerField(label=pgettext_lazy("eduworks", "Likes"), required=False, initial=0)
    shares = forms.IntegerField(label=pgettext_lazy("eduworks", "Shares"), required=False, initial=0)
    participants = forms.IntegerField(label=pgettext_lazy("eduworks", "Participants"), required=False, initial=0)


class BaseFigureForm(forms.Form):
    month = MonthField(label=_("Month"))
    base = forms.ChoiceField(label=pgettext_lazy("eduworks", "Base"), choices=BaseKind.choices)
    visitors = forms.IntegerField(label=pgettext_lazy("eduworks", "Visitors"), required=False, initial=0)
    visits = forms.IntegerField(label=pgettext_lazy("eduworks", "Visits"), required=False, initial=0)
    surveyed = forms.IntegerField(label=pgettext_lazy("eduworks", "People surveyed"), required=False, initial=0)
    satisfied = forms.IntegerField(label=pgettext_lazy("eduworks", "Of whom satisfied"), required=False, initial=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
