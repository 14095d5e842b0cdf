"""Forms for the notice pages. They only parse input; the rules live in ``services.py``."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huifu.directory.models import Department, Organisation, OrganisationKind
from huifu.files.kept import KeepUploadsMixin

from .models import AudienceKind, NoticeCategory


def _doc_number_help() -> str:
    """The example in the exchange's own style (its notice prefix is identity data)."""
    from huifu.core.identity import exchange

    return gettext("e.g. %(example)s; leave empty if the notice has none.") % {
        "example": exchange().doc_number(2023, 61)
    }


class NoticeForm(forms.Form):
    doc_number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=60,
        help_text=lazy(_doc_number_help, str)(),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Plain text; separate paragraphs with an empty line."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=NoticeCategory.choices)
    department = forms.ModelChoiceField(
        label=_("Issuing department"), queryset=Department.objects.filter(is_active=True), required=False
    )
    audience_kind = forms.ChoiceField(label=_("Audience"), choices=AudienceKind.choices, widget=forms.RadioSelect)
    audience_org_kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        required=False,
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used when the audience is “Kinds of organisation”."),
    )
    audience_organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        required=False,
        queryset=Organisation.objects.order_by("kind", "name_zh"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Used when the audience is “Named organisations”. Hold Ctrl (⌘) to choose several."),
    )

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("audience_kind")
        if kind == AudienceKind.ORG_KINDS and not data.get("audience_org_kinds"):
            self.add_error("audience_org_kinds", _("Choose at least one kind of organisation."))
        if kind == AudienceKind.ORGANISATIONS and not data.get("audience_organisations"):
            self.add_error("audience_organisations", _("Choose at least one organisation."))
        return data


class AttachmentForm(KeepUploadsMixin, forms.Form):
    file = forms.FileField(label=_("Attachment"), help_text=_("PDF, Word, Excel, OFD or image."))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
