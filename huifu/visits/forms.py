"""Forms for the visit pages. They only parse input; the rules live in ``services.py``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huifu.accounts.models import User, UserKind
from huifu.core.phones import PhoneField
from huifu.directory.models import Organisation
from huifu.files.kept import KeepUploadsMixin

from .services import REQUESTER_ORG_KINDS


class VisitRequestForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the visit"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    proposed_dates = forms.CharField(
        label=_("Proposed dates"), max_length=200, help_text=_("e.g. 10月10日下午或10月12日上午")
    )
    visitors = forms.CharField(
        label=_("Visitors"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("One visitor per line: name and job title."),
    )
    visitor_count = forms.IntegerField(label=_("Number of visitors"), min_value=1, max_value=200, initial=1)
    topics = forms.CharField(
        label=_("Topics to discuss"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=80)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = PhoneField(label=_("Contact phone"), required=False)


class LetterForm(KeepUploadsMixin, VisitRequestForm):
    organisation = forms.ModelChoiceField(
        label=_("Visiting organisation"),
        queryset=Organisation.objects.filter(kind__in=REQUESTER_ORG_KINDS).order_by("kind", "name_zh"),
    )
    received_at = forms.DateTimeField(
        label=_("Received"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When the e-mail with the letter arrived."),
    )
    letter = forms.FileField(label=_("Visit letter"), help_text=_("PDF, Word, OFD, image or the e-mail (.eml)."))

    field_order = ["organisation", "received_at", "letter"]


class ArrangeForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Exchange attendees"),
        queryset=User.objects.filter(kind=UserKind.STAFF, is_active=True)
        .select_related("department")
        .order_by("department__sort_order", "full_name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘) to choose several."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The reception must end after it starts."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class HoldForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes of the meeting"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=8000
    )
