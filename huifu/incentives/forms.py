"""Forms for incentive pages. Field checks that need the database live in the services; the
views put the services' ValidationErrors next to the fields."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.directory.models import Department
from huifu.files.forms import StoredFileField
from huifu.files.kept import KeepUploadsMixin
from huifu.products.models import Product

from .models import (
    AcceptanceResult,
    CapScope,
    EntryMode,
    MissingDayRule,
    PayoutOrder,
    PilotProgramme,
    ProjectKind,
    RuleBasis,
    ServiceLine,
    TierModeChoice,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleStoredFileField(StoredFileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleStoredFileField, self).clean(item, initial) for item in data if item]
        single = super().clean(data, initial)
        return [single] if single else []


def _files_field(label: Any) -> MultipleStoredFileField:
    return MultipleStoredFileField(label=label, required=False, help_text=_("PDF, Word, Excel or images."))


class _DefaultChoiceField(forms.ChoiceField):
    """A choice that keeps its initial value when the form leaves it out (settlement decisions)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, value: object) -> object:
        return super().clean(value) or self.initial


class ProjectForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    code = forms.CharField(label=_("Code"), max_length=32)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    service_line = forms.ChoiceField(label=_("Service line"), choices=[("", "—"), *ServiceLine.choices], required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    products = forms.ModelMultipleChoiceField(
        label=_("Covered products"),
        queryset=Product.objects.order_by("kind", "sort_order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    open_to_members = forms.BooleanField(label=_("Open to futures company members"), required=False, initial=True)
    open_to_platform_traders = forms.BooleanField(label=_("Open to platform traders"), required=False)
    entry_mode = forms.ChoiceField(label=_("Entry"), choices=EntryMode.choices)
    requires_closing = forms.BooleanField(label=_("Closing application and review"), required=False)
    review_working_days = forms.IntegerField(label=_("Review deadline (working days)"), min_value=1, initial=10)
    acceptance_working_days = forms.IntegerField(label=_("Acceptance deadline (working days)"), min_value=1, initial=15)
    closing_working_days = forms.IntegerField(
        label=_("Closing review deadline (working days)"), min_value=1, initial=10
    )
    department = forms.ModelChoiceField(
        label=_("Responsible department"), queryset=Department.objects.all(), required=False
    )
    notice_doc_number = forms.CharField(label=_("Governing notice number"), max_length=60, required=False)
    notice_date = forms.DateField(
        label=_("Governing notice date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    pilots = forms.ModelMultipleChoiceField(
        label=_("Absorbed pilot programmes"),
        queryset=PilotProgramme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}))
    cap_per_member = forms.DecimalField(label=_("Cap per member (CNY)"), required=False, min_value=0, decimal_places=2)
    cap_total = forms.DecimalField(label=_("Cap for the project (CNY)"), required=False, min_value=0, decimal_places=2)
    award_per_result = forms.DecimalField(
        label=_("Fixed award per accepted result (CNY)"), required=False, min_value=0, decimal_places=2
    )
    cap_total_scope = _DefaultChoiceField(
        label=_("Scope of the project cap"), choices=CapScope.choices, initial=CapScope.PROJECT
    )
    cap_per_member_scope = _DefaultChoiceField(
        label=_("Scope of the cap per member"), choices=CapScope.choices, initial=CapScope.PROJECT
    )
    rule_cap_scope = _DefaultChoiceField(
        label=_("Scope of the product caps per member"), choices=CapScope.choices, initial=CapScope.PROJECT
    )
    cap_ratio_public = forms.BooleanField(label=_("Members see the project cap's scaling ratio"), required=False)
    prorate_for_joiners = forms.BooleanField(
        label=_("Pro-rate tiers and caps for members joining mid-period"), required=False
    )
    payout_order = _DefaultChoiceField(
        label=_("Payout ratio and product cap"), choices=PayoutOrder.choices, initial=PayoutOrder.BEFORE_RULE_CAP
    )
    missing_day_rule = _DefaultChoiceField(
        label=_("A trading day without data"), choices=MissingDayRule.choices, initial=MissingDayRule.HELD_NOTHING
    )


class RuleForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    basis = forms.ChoiceField(label=_("Basis"), choices=RuleBasis.choices)
    tier_mode = forms.ChoiceField(label=_("Tier mode"), choices=TierModeChoice.choices)
    tiers = forms.CharField(
        label=_("Tiers (JSON)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            'e.g. [{"from": "0", "to": "100000", "rate": "0.10"}, {"from": "100000", "to": null, "rate": "0.20"}]'
        ),
    )
    min_volume = forms.DecimalField(label=_("Minimum volume (lots)"), required=False, min_value=0)
    min_avg_open_interest = forms.DecimalField(
        label=_("Minimum daily average open interest (lots)"), required=False, min_value=0
    )
    cap_per_member = forms.DecimalField(
        label=_("Cap per member for this product (CNY)"), required=False, min_value=0, decimal_places=2
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = project.products.order_by("kind", "sort_order")

    def clean_tiers(self) -> Any:
        raw = self.cleaned_data["tiers"]
        try:
            return json.loads(raw, parse_float=str, parse_int=str)
        except ValueError:
            raise forms.ValidationError(
                _('Tiers must be valid JSON, e.g. [{"from": "0", "to": null, "rate": "0.1"}].')
            ) from None


class ParticipationForm(KeepUploadsMixin, forms.Form):
    products = forms.ModelMultipleChoiceField(
        label=_("Target products"), queryset=Product.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    plan = forms.CharField(label=pgettext_lazy("incentive", "Plan"), widget=forms.Textarea(attrs={"rows": 6}))
    files = _files_field(_("Supporting files"))

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project.is_research:
            # A university applies with a topic; a research project covers no products.
            del self.fields["products"]
            self.fields = {
                "topic": forms.CharField(label=_("Research topic"), max_length=200),
                **self.fields,
            }
            self.fields["plan"].label = _("Research plan (method, schedule, expected results)")
        else:
            self.fields["products"].queryset = project.products.order_by("kind", "sort_order")


class ReportForm(KeepUploadsMixin, forms.Form):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 5}))
    files = _files_field(_("Evidence"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("review", "Decision"),
        choices=[("approve", pgettext_lazy("review", "Approve")), ("reject", pgettext_lazy("review", "Reject"))],
        widget=forms.RadioSelect,
    )
    joined_on = forms.DateField(
        label=_("Joined on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The member earns from this date; empty: today or the period start."),
    )
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AcceptanceForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[*AcceptanceResult.choices, ("return", _("Return for more work"))],
        widget=forms.RadioSelect,
    )
    payout_ratio = forms.DecimalField(
        label=_("Payout ratio"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text=_("Partial acceptance only, e.g. 0.5."),
    )
    effective_from = forms.DateField(
        label=_("Effective from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_to = forms.DateField(
        label=_("Effective to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    award_amount = forms.DecimalField(label=_("Fixed award (CNY)"), required=False, min_value=0, decimal_places=2)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ClosingReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("review", "Decision"),
        choices=[("approve", _("Approve closing")), ("return", _("Return"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DashboardForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False)
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.order_by("kind", "sort_order"),
        required=False,
        to_field_name="code",
    )
