"""Forms for the case pages; the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huifu.directory.models import Organisation, OrganisationKind
from huifu.files.kept import KeepUploadsMixin

from .models import CaseAudience


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Plain text; separate paragraphs with an empty line."),
    )
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    products = forms.CharField(
        label=_("Products"), max_length=300, required=False, help_text=_("Separate with commas, e.g. 铜, 螺纹钢.")
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).order_by("name_zh"),
    )
    enterprise_label = forms.CharField(
        label=_("Enterprise as shown"),
        max_length=200,
        required=False,
        help_text=_("How the enterprise is named in the case, e.g. 江西某铜业集团."),
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=CaseAudience.choices, widget=forms.RadioSelect)


class CaseFileForm(KeepUploadsMixin, forms.Form):
    file = forms.FileField(label=_("Image or document"), help_text=_("PNG, JPEG, PDF or Word."))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
