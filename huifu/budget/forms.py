"""Budget forms. They parse input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.directory.models import Department
from huifu.files.forms import StoredFileField
from huifu.files.kept import KeepUploadsMixin

from .models import PoolStatus, default_payer_name
from .services import INVOICE_KINDS


class MoneyField(forms.CharField):
    """Money is parsed by the service (``clean_money``) so every channel gives the same message."""

    def __init__(self, **kwargs):  # noqa: ANN003
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "placeholder": "0.00"})


class PoolForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=200)
    amount = MoneyField(label=_("Amount (CNY)"))
    department = forms.ModelChoiceField(label=_("Owning department"), queryset=Department.objects.all())
    payer_name = forms.CharField(
        label=_("Invoice buyer"),
        max_length=200,
        required=False,
        initial=default_payer_name,
    )
    note = forms.CharField(
        label=pgettext_lazy("remark", "Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PoolEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    amount = MoneyField(label=_("Amount (CNY)"))
    status = forms.ChoiceField(label=_("Status"), choices=PoolStatus.choices)
    note = forms.CharField(
        label=pgettext_lazy("remark", "Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class InvoiceForm(KeepUploadsMixin, forms.Form):
    number = forms.CharField(label=_("Invoice number"), max_length=40)
    amount = MoneyField(label=_("Amount (CNY)"))
    issue_date = forms.DateField(label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"}))
    buyer_name = forms.CharField(label=_("Buyer"), max_length=200)
    file = StoredFileField(label=_("Invoice file (PDF, OFD or image)"), allowed_kinds=INVOICE_KINDS)


class PaymentForm(forms.Form):
    payee_name = forms.CharField(label=_("Payee"), max_length=200)
    bank_name = forms.CharField(label=_("Bank"), max_length=200)
    bank_account = forms.CharField(label=_("Bank account"), max_length=40)
    amount = MoneyField(label=_("Amount (CNY)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Bank reference"), max_length=80)


class AdjustForm(forms.Form):
    amount = MoneyField(label=_("New approved amount (CNY)"))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
