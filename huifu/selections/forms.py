"""Forms of the selection pages; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.awards.models import SchemeVersion
from huifu.core.widgets import QuickModelChoiceField, QuickSelect
from huifu.directory.models import Organisation, OrganisationKind
from huifu.files.kept import KeepUploadsMixin

from .models import ApplicantKind, PhaseKind, Rounding

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _companies() -> Any:
    return Organisation.objects.filter(kind__in=OrganisationKind.member_kinds()).order_by("name_zh")


class ApplicationForm(forms.Form):
    team_name = forms.CharField(label=pgettext_lazy("selection", "Team name"), max_length=100, required=False)
    summary = forms.CharField(
        label=pgettext_lazy("selection", "How the applicant serves the real economy"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=pgettext_lazy(
            "selection", "In a blind category judges read this text: do not name people or the company in it."
        ),
    )


class MemberForm(forms.Form):
    full_name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50, required=False)
    certificate_no = forms.CharField(
        label=pgettext_lazy("selection", "Qualification certificate number"),
        max_length=30,
        required=False,
        help_text=pgettext_lazy("selection", "F or Z and 7 digits, e.g. Z0012345."),
    )
    is_leader = forms.BooleanField(label=pgettext_lazy("selection", "Leader"), required=False)
    former_organisation = QuickModelChoiceField(
        label=pgettext_lazy("selection", "Former employer (last years)"),
        queryset=_companies(),
        required=False,
        label_field="name_zh",
        widget=QuickSelect(searchable=True),
    )
    former_until = forms.DateField(label=pgettext_lazy("selection", "Left on"), required=False, widget=DATE)


def member_formset(data: Any = None, *, initial: list[dict[str, Any]] | None = None, rows: int = 5) -> Any:
    formset = forms.formset_factory(MemberForm, extra=max(0, rows - len(initial or [])), max_num=12)
    return formset(data, initial=initial, prefix="members")


class MaterialForm(KeepUploadsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=pgettext_lazy("selection", "File (PDF or Word)"))


def score_form_class(indicators: list[Any], scale: Any) -> type[forms.Form]:
    fields: dict[str, forms.Field] = {}
    for indicator in indicators:
        fields[indicator.code] = forms.CharField(
            label=f"{indicator.name_zh}（{indicator.weight.normalize():f}%）",
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            help_text=_("0 to %(max)s") % {"max": f"{scale.normalize():f}"},
        )
    fields["comment"] = forms.CharField(label=_("Comment"), max_length=300, required=False)
    return type("ScoreForm", (forms.Form,), fields)


class ConflictDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("conflict", "Decision"),
        choices=[
            ("confirm", pgettext_lazy("conflict", "Confirm: the judge stays recused")),
            ("dismiss", pgettext_lazy("conflict", "Dismiss: the judge may judge")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("selection", "Reason for revocation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("selection", "Phase"), choices=PhaseKind.choices)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DATETIME)


class PanelMemberForm(forms.Form):
    email = forms.EmailField(label=pgettext_lazy("panel", "Judge's e-mail (account)"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("judge", pgettext_lazy("panel", "Judge")), ("chair", pgettext_lazy("panel", "Chair"))],
    )


class EmploymentForm(forms.Form):
    email = forms.EmailField(label=pgettext_lazy("panel", "Judge's e-mail (account)"))
    organisation = QuickModelChoiceField(
        label=_("Employer"), queryset=_companies(), label_field="name_zh", widget=QuickSelect(searchable=True)
    )
    started_on = forms.DateField(label=_("From"), widget=DATE)
    ended_on = forms.DateField(label=_("Until"), required=False, widget=DATE, help_text=_("Empty: current employer."))


class DeclarationForm(forms.Form):
    organisation = QuickModelChoiceField(
        label=_("Organisation"), queryset=_companies(), label_field="name_zh", widget=QuickSelect(searchable=True)
    )
    note = forms.CharField(label=pgettext_lazy("conflict", "Relation"), max_length=200)


class SelectionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    conflict_years = forms.IntegerField(
        label=pgettext_lazy("selection", "Years an employment counts as a conflict"),
        min_value=0,
        max_value=20,
        initial=3,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in PhaseKind.choices:
            self.fields[f"{kind}_opens"] = forms.DateTimeField(label=f"{label} · {_('Opens')}", widget=DATETIME)
            self.fields[f"{kind}_closes"] = forms.DateTimeField(label=f"{label} · {_('Closes')}", widget=DATETIME)

    def phases(self) -> dict[str, tuple[Any, Any]]:
        return {k: (self.cleaned_data[f"{k}_opens"], self.cleaned_data[f"{k}_closes"]) for k in PhaseKind.values}


class CategoryForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=20)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    applicant_kind = forms.ChoiceField(label=pgettext_lazy("selection", "Who may apply"), choices=ApplicantKind.choices)
    scheme = forms.ModelChoiceField(
        label=pgettext_lazy("selection", "Rubric (frozen evaluation scheme)"), queryset=SchemeVersion.objects.none()
    )
    blind = forms.BooleanField(label=pgettext_lazy("selection", "Blind judging"), required=False)
    normalise = forms.BooleanField(label=pgettext_lazy("selection", "Normalise each judge's scores"), required=False)
    normalise_min_scores = forms.IntegerField(
        label=pgettext_lazy("selection", "Scores a judge needs before normalisation"), min_value=2, initial=5
    )
    quota_threshold = forms.IntegerField(
        label=pgettext_lazy("selection", "Applicants threshold"), min_value=1, initial=30
    )
    quota_percent = forms.DecimalField(
        label=pgettext_lazy("selection", "Share that may win below the threshold (%)"),
        min_value=0,
        max_value=100,
        initial=30,
    )
    quota_max = forms.IntegerField(
        label=pgettext_lazy("selection", "Most winners at or above the threshold"), min_value=0, initial=10
    )
    quota_rounding = forms.ChoiceField(
        label=pgettext_lazy("selection", "Rounding of the quota"), choices=Rounding.choices
    )
    bonus_points_per_unit = forms.DecimalField(
        label=pgettext_lazy("selection", "Bonus points per talk or report"), min_value=0, max_value=100, initial=1
    )
    max_team_size = forms.IntegerField(
        label=pgettext_lazy("selection", "Largest team"), min_value=1, max_value=12, initial=8
    )

    def __init__(self, *args: Any, selection: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .services.commendation import PROGRAMME_CODE

        self.fields["scheme"].queryset = SchemeVersion.objects.filter(
            programme__code=PROGRAMME_CODE, year=selection.year, state="frozen"
        ).order_by("category_code")
