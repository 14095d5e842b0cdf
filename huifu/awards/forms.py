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


class EnteredValueForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    indicator_code = forms.ChoiceField(label=_("Indicator"))
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("The document or record the value comes from."),
    )

    def __init__(self, *args, evaluation, **kwargs) -> None:  # noqa: ANN001
        from huifu.directory.models import Organisation

        from .models import IndicatorSource

        super().__init__(*args, **kwargs)
        kind = evaluation.programme.subject_kind or "futures_company"
        self.fields["organisation"].queryset = Organisation.objects.filter(kind=kind, status="active").order_by(
            "name_zh"
        )
        self.fields["indicator_code"].choices = [
            (i.code, f"{i.code} {i.name_zh}")
            for i in evaluation.scheme.indicators.filter(source=IndicatorSource.ENTERED)
        ]


class MeasureForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    kind = forms.ChoiceField(label=_("Measure type"))
    document_number = forms.CharField(label=_("Document number"), max_length=80)
    issued_on = forms.DateField(label=_("Date of the measure"), widget=forms.DateInput(attrs={"type": "date"}))
    violation_ref = forms.CharField(
        label=_("Violation"),
        max_length=80,
        help_text=_("The same reference for every measure punishing one violation."),
    )
    authority = forms.CharField(label=_("Issued by"), max_length=120, required=False)

    def __init__(self, *args, evaluation, **kwargs) -> None:  # noqa: ANN001
        from huifu.directory.models import Organisation

        from .models import MeasureKind

        super().__init__(*args, **kwargs)
        kind = evaluation.programme.subject_kind or "futures_company"
        self.fields["organisation"].queryset = Organisation.objects.filter(kind=kind, status="active").order_by(
            "name_zh"
        )
        self.fields["kind"].choices = MeasureKind.choices


class WeightsForm(forms.Form):
    """One weight field per indicator of a draft scheme."""

    def __init__(self, *args, scheme, **kwargs) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        for indicator in scheme.indicators.all():
            self.fields[indicator.code] = forms.DecimalField(
                label=f"{indicator.code} {indicator.name_zh}",
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                initial=indicator.weight,
            )


class EvaluationCreateForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=240)
    objection_days = forms.IntegerField(
        label=_("Objection window (working days)"), min_value=1, max_value=30, initial=5
    )
    categories = forms.CharField(
        label=_("Categories and quotas"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: code | Chinese name | English name | quota, e.g. gold | 优秀会员金奖 | Gold | 3"),
    )

    def clean_categories(self) -> list:
        from .services import CategorySpec

        specs = []
        for number, line in enumerate(self.cleaned_data["categories"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4 or not all(parts) or not parts[3].isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: write code | Chinese name | English name | quota (a whole number).") % {"n": number}
                )
            specs.append(CategorySpec(parts[0], parts[1], parts[2], int(parts[3])))
        if not specs:
            raise forms.ValidationError(_("Give at least one category."))
        return specs


class BonusForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    bonus_code = forms.ChoiceField(label=_("Bonus item"))
    points = forms.DecimalField(label=_("Points"), max_digits=6, decimal_places=2, min_value=0)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, evaluation, **kwargs) -> None:  # noqa: ANN001
        from huifu.directory.models import Organisation

        super().__init__(*args, **kwargs)
        kind = evaluation.programme.subject_kind or "futures_company"
        self.fields["organisation"].queryset = Organisation.objects.filter(kind=kind, status="active").order_by(
            "name_zh"
        )
        self.fields["bonus_code"].choices = [
            (b.code, f"{b.code} {b.name_zh} (≤{b.cap})") for b in evaluation.scheme.bonus_items.all()
        ]


class IndicatorForm(forms.Form):
    """An indicator of a draft scheme (add or change). The service checks the code is unique in
    the version and the metric is registered; the form names a bad number's field."""

    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("Unique within this scheme version."))
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=160)
    weight = forms.DecimalField(
        label=_("Weight (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text=_("Its share of its level; the weights of a level must add up to 100 % before the scheme opens."),
    )
    direction = forms.ChoiceField(label=_("Direction"))
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        help_text=_("Leave empty for an indicator scored from its sub-indicators."),
    )
    metric = forms.ChoiceField(label=_("Metric"), required=False, help_text=_("For a computed indicator."))
    description = forms.CharField(
        label=pgettext_lazy("indicator", "Definition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        from .metrics import METRICS
        from .models import Direction, IndicatorSource

        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = Direction.choices
        self.fields["source"].choices = [("", "—"), *IndicatorSource.choices]
        self.fields["metric"].choices = [("", "—")] + [(key, f"{m.label} ({key})") for key, m in METRICS.items()]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("source") == "computed" and not data.get("metric"):
            self.add_error("metric", _("A computed indicator needs a metric."))
        return data


class BonusItemForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("Unique within this scheme version."))
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=160)
    cap = forms.DecimalField(label=_("Cap (points)"), max_digits=6, decimal_places=2, min_value=0)


class DeductionTypeForm(forms.Form):
    measure_kind = forms.ChoiceField(label=_("Measure type"))
    points = forms.DecimalField(label=_("Points deducted"), max_digits=5, decimal_places=2, min_value=0)
    to_be_checked = forms.BooleanField(label=_("To be checked"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        from .models import MeasureKind

        super().__init__(*args, **kwargs)
        self.fields["measure_kind"].choices = MeasureKind.choices


class SchemeRulesForm(forms.Form):
    bonus_cap = forms.DecimalField(
        label=_("Total bonus cap"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Empty: no cap on the sum of bonus points."),
    )
    deduction_cap = forms.DecimalField(
        label=_("Total deduction cap"), max_digits=6, decimal_places=2, min_value=0, required=False
    )
    tie_break = forms.ChoiceField(label=_("Tie-break rule"), help_text=_("Published with the scheme, before scoring."))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        from .models import TieBreak

        super().__init__(*args, **kwargs)
        self.fields["tie_break"].choices = TieBreak.choices


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, remove it"), required=True)
