"""Forms of the credit-hour pages. They check shapes; the services decide (duplicates, rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.files.forms import StoredFileField
from huifu.files.kept import KeepUploadsMixin

from .models import CreditRule, HourCategory, OnlineMode
from .services import EVIDENCE_KINDS

DATE = {"type": "date"}
HOURS_FIELD = {"max_digits": 5, "decimal_places": 1, "min_value": 0}


def hours_field(label: Any, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, **HOURS_FIELD, widget=forms.NumberInput(attrs={"step": "0.1", "min": "0"})
    )


class ClaimForm(KeepUploadsMixin, forms.Form):
    provider = forms.CharField(label=_("Training provider"), max_length=200)
    course_title = forms.CharField(label=_("Course"), max_length=200)
    completed_on = forms.DateField(label=_("Completed on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    certificate_no = forms.CharField(
        label=_("Certificate number"),
        max_length=60,
        required=False,
        help_text=_("As printed on the certificate; the same number cannot be claimed twice."),
    )
    category = forms.ModelChoiceField(label=_("Hour category"), queryset=HourCategory.objects.none())
    hours = hours_field(_("Hours"), required=True)
    evidence = StoredFileField(
        label=_("Evidence"),
        allowed_kinds=EVIDENCE_KINDS,
        help_text=_("The certificate or proof of attendance (PDF, image, Word or OFD)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = HourCategory.objects.filter(is_active=True)


class DeferralForm(KeepUploadsMixin, forms.Form):
    window_start = forms.ChoiceField(label=_("Window"))
    reason = forms.CharField(label=_("Reason for the deferral"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = StoredFileField(
        label=_("Written application"),
        allowed_kinds=EVIDENCE_KINDS,
        help_text=_("The signed application (PDF, image, Word or OFD)."),
    )

    def __init__(self, *args: Any, windows: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["window_start"].choices = [
            (w.key, f"{w.label}（{w.start:%Y-%m-%d} – {w.end:%Y-%m-%d}）") for w in windows
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", pgettext_lazy("claim", "Approve")), ("refuse", pgettext_lazy("claim", "Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a refusal; the practitioner reads it."),
    )


class SessionHoursForm(forms.Form):
    online_mode = forms.ChoiceField(label=_("Online attendance"), choices=OnlineMode.choices)

    def __init__(self, *args: Any, categories: list[HourCategory] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        for category in self.categories:
            self.fields[f"hours_{category.pk}"] = hours_field(category.name())

    def hours(self) -> dict[int, Any]:
        return {c.pk: self.cleaned_data.get(f"hours_{c.pk}") for c in self.categories}


class RuleForm(forms.Form):
    year = forms.IntegerField(label=_("Applies from year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Rule"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    min_hours = hours_field(_("Minimum hours per window"), required=True)
    window_years = forms.IntegerField(label=_("Window (years)"), min_value=1, max_value=5)
    deferral_years = forms.IntegerField(label=_("Deferral (years)"), min_value=0, max_value=3)
    seed_unchecked = forms.BooleanField(
        label=_("Seed value: check against the current rule"),
        required=False,
        help_text=_("Clear once the values are checked against the rule in force."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, categories: list[HourCategory] = (), rule: CreditRule | None = None, **kwargs: Any):
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "year": rule.year,
                "title": rule.title,
                "source": rule.source,
                "min_hours": rule.min_hours,
                "window_years": rule.window_years,
                "deferral_years": rule.deferral_years,
                "seed_unchecked": rule.seed_unchecked,
                "note": rule.note,
                **{f"min_{m.category_id}": m.min_hours for m in rule.minimums.all()},
            }
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        for category in self.categories:
            self.fields[f"min_{category.pk}"] = hours_field(_("Minimum: %(category)s") % {"category": category.name()})

    def minimums(self) -> dict[int, Any]:
        return {c.pk: self.cleaned_data.get(f"min_{c.pk}") for c in self.categories}


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=30)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=100)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
