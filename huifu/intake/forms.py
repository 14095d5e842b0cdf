"""Forms for the intake pages. They only parse input; the rules live in ``services.py``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huifu.directory.models import Organisation, OrganisationKind
from huifu.files.kept import KeepUploadsMixin

from .models import IntakeStatus


def member_companies():  # noqa: ANN201
    return Organisation.objects.filter(kind__in=OrganisationKind.member_kinds()).order_by("name_zh")


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All states")), *IntakeStatus.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class ResolveForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Company"), queryset=member_companies())


class IgnoreForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class MemberUploadForm(KeepUploadsMixin, forms.Form):
    file = forms.FileField(label=_("Filled-in form (.docx)"), help_text=_("The Word form downloaded here, filled in."))


class StaffUploadForm(KeepUploadsMixin, forms.Form):
    file = forms.FileField(label=_("Filled-in form (.docx)"))
    organisation = forms.ModelChoiceField(
        label=_("Company"),
        queryset=member_companies(),
        required=False,
        help_text=_("Leave empty to use the company named on the form."),
    )
