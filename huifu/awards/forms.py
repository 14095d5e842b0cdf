from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ObjectionForm(forms.Form):
    indicator_code = forms.ChoiceField(label=_("Indicator concerned"), required=False)
    text = forms.CharField(
        label=_("Your objection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Say what you believe is wrong and why; attach nothing confidential of other members."),
    )

    def __init__(self, *args, indicators=(), **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = [("", _("The result as a whole"))] + [
            (i["code"], f"{i['code']} {i['name']}") for i in indicators
        ]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=pgettext_lazy("objection", "Decision"),
        choices=[
            ("upheld", pgettext_lazy("objection", "Upheld")),
            ("rejected", pgettext_lazy("objection", "Rejected")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ComputeForm(forms.Form):
    reason = forms.CharField(label=_("Why recompute"), required=False, max_length=300)
