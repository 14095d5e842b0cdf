"""Activity forms. They parse input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.budget.forms import MoneyField
from huifu.budget.models import BudgetPool, PoolStatus
from huifu.directory.models import Organisation, OrganisationKind
from huifu.files import kinds
from huifu.files.forms import StoredFileField
from huifu.files.kept import KeepUploadsMixin

from .models import REQUIRABLE_FIELDS, ActivityKind, ActivityType, AudienceKind, FileRole

LINE_ROWS = 6
DATE = {"type": "date"}


def _audience_fields(prefix: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}_{kind}": forms.IntegerField(label=label, min_value=0, required=False)
        for kind, label in AudienceKind.choices
    }


def audience_from(data: dict[str, Any], prefix: str) -> dict[str, int]:
    return {kind: data.get(f"{prefix}_{kind}") or 0 for kind in AudienceKind.values}


class ApplicationForm(forms.Form):
    activity_type = forms.ModelChoiceField(label=_("Activity type"), queryset=ActivityType.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    university = forms.ModelChoiceField(
        label=_("University (campus activities)"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Required for a campus activity: the university where it is held."),
    )
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    plan = forms.CharField(
        label=pgettext_lazy("activity", "Plan"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs=DATE))
    online = forms.BooleanField(label=_("Online"), required=False)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    co_organisers = forms.CharField(label=_("Co-organisers"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    speakers = forms.CharField(label=_("Speakers"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, types: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = types if types is not None else ActivityType.objects.none()
        self.fields["university"].queryset = Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY).order_by(
            "name_zh"
        )
        self.fields.update(_audience_fields("audience"))
        for i in range(LINE_ROWS):
            self.fields[f"line_item_{i}"] = forms.CharField(
                label=_("Budget item %(n)s") % {"n": i + 1}, max_length=100, required=False
            )
            self.fields[f"line_amount_{i}"] = MoneyField(label=_("Amount %(n)s (CNY)") % {"n": i + 1}, required=False)

    def audience_fields(self) -> list[Any]:
        return [self[f"audience_{k}"] for k in AudienceKind.values]

    def line_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"line_item_{i}"], self[f"line_amount_{i}"]) for i in range(LINE_ROWS)]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "activity_type": d["activity_type"],
            "university": d.get("university"),
            **{
                k: d[k]
                for k in (
                    "title",
                    "theme",
                    "plan",
                    "starts_on",
                    "ends_on",
                    "online",
                    "venue",
                    "co_organisers",
                    "speakers",
                )
            },
            "audience_expected": audience_from(d, "audience"),
            "lines": [(d.get(f"line_item_{i}") or "", d.get(f"line_amount_{i}") or "") for i in range(LINE_ROWS)],
        }


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ApproveForm(forms.Form):
    pool = forms.ModelChoiceField(label=_("Budget pool"), queryset=BudgetPool.objects.none())
    amount = MoneyField(label=_("Approved amount (CNY)"))
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = BudgetPool.objects.filter(year=year, status=PoolStatus.OPEN)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}))


class FileForm(KeepUploadsMixin, forms.Form):
    role = forms.ChoiceField(label=_("Kind of file"), choices=FileRole.choices)
    upload = StoredFileField(label=_("File"), allowed_kinds=kinds.DEFAULT_KINDS)


class SummaryForm(forms.Form):
    summary = forms.CharField(label=pgettext_lazy("activity", "Summary"), widget=forms.Textarea(attrs={"rows": 5}))
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    media_links = forms.CharField(
        label=_("Media links (one per line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in _audience_fields("attendance").items():
            self.fields[name] = field

    def attendance_fields(self) -> list[Any]:
        return [self[f"attendance_{k}"] for k in AudienceKind.values]


class SummaryReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return"))], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class TypeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    name = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    priority_themes = forms.CharField(
        label=_("Priority themes (one per line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    required_fields = forms.MultipleChoiceField(
        label=_("Required fields"),
        choices=list(REQUIRABLE_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cap_per_activity = MoneyField(label=_("Cap per activity (CNY)"))
    line_caps = forms.CharField(
        label=_("Caps per budget line (item=amount, one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    is_active = forms.BooleanField(label=_("Open for applications"), required=False, initial=True)

    def clean_line_caps(self) -> dict[str, str]:
        caps = {}
        for line in (self.cleaned_data.get("line_caps") or "").splitlines():
            if not line.strip():
                continue
            item, sep, amount = line.partition("=")
            if not sep or not item.strip():
                raise forms.ValidationError(_("Write each cap as item=amount, e.g. 场地费=50000."))
            caps[item.strip()] = amount.strip()
        return caps

    def service_kwargs(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["priority_themes"] = [t for t in (d.get("priority_themes") or "").splitlines() if t.strip()]
        return d
