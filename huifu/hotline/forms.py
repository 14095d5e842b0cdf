"""Forms for the hotline pages. They only parse input; the rules live in ``services.py``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.accounts.models import User, UserKind
from huifu.core.phones import PhoneField
from huifu.directory.models import Department, Organisation

from .models import CallTopic


class CallForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Call time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    caller_name = forms.CharField(label=_("Caller"), max_length=80)
    caller_phone = PhoneField(label=_("Caller's phone"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Company"), queryset=Organisation.objects.order_by("kind", "name_zh"), required=False
    )
    company_name = forms.CharField(
        label=_("Company (as told)"),
        max_length=200,
        required=False,
        help_text=_("When the company is not in the directory."),
    )
    topic = forms.ChoiceField(label=pgettext_lazy("call", "Topic"), choices=CallTopic.choices)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)
    answer = forms.CharField(
        label=_("Answer given"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=8000
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)
    follow_up_owner = forms.ModelChoiceField(
        label=_("Follow-up owner"),
        queryset=User.objects.filter(kind=UserKind.STAFF, is_active=True).order_by("full_name"),
        required=False,
    )
    follow_up_department = forms.ModelChoiceField(
        label=_("Follow-up department"), queryset=Department.objects.filter(is_active=True), required=False
    )


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("Follow-up result"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)


class SettingForm(forms.Form):
    number = forms.CharField(label=_("Hotline number"), max_length=40, help_text=_("e.g. 400-820-3618"))
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    follow_up_working_days = forms.IntegerField(
        label=_("Follow-up deadline (working days)"), min_value=1, max_value=60, initial=2
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
