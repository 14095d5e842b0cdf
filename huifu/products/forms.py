from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Product


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name_zh",
            "name_en",
            "is_active",
            "listed_on",
            "contract_multiplier",
            "unit",
            "fee_basis",
            "fee_per_lot",
            "fee_rate",
            "sort_order",
        ]
        widgets = {"listed_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self) -> dict:
        data = super().clean()
        basis = data.get("fee_basis")
        if basis == "per_lot" and data.get("fee_per_lot") is None:
            self.add_error("fee_per_lot", _("Give the fee per lot (0 or more) for a per-lot fee basis."))
        if basis == "turnover_rate":
            rate = data.get("fee_rate")
            if rate is None or not (0 <= rate < 1):
                self.add_error(
                    "fee_rate", _("Give the fee rate as a fraction of turnover between 0 and 1, e.g. 0.00005.")
                )
            data["fee_per_lot"] = None
        elif basis == "per_lot":
            data["fee_rate"] = None
        return data
