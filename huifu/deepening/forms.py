"""Forms for the deep-cultivation pages. They only parse input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.directory.models import Organisation, OrganisationKind
from huifu.directory.regions import Region
from huifu.files.kept import KeepUploadsMixin

from .models import ActivityKind, ContactChannel, EnterpriseSituation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # noqa: ANN001, ANN201
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period_start = forms.DateField(label=pgettext_lazy("date", "Starts"), widget=DATE)
    period_end = forms.DateField(label=pgettext_lazy("date", "Ends"), widget=DATE)
    objectives = forms.CharField(label=_("Overall objectives"), widget=forms.Textarea(attrs={"rows": 5}))


class PlanEnterpriseForm(forms.Form):
    profile = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    objectives = forms.CharField(
        label=_("Objectives for this enterprise"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Already trading: cases and publicity. Willing: training and help building a risk-management "
            "system. Facing obstacles: find out why and keep regular contact."
        ),
    )

    def __init__(self, *args, profiles=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    planned_date = forms.DateField(label=_("Planned date"), widget=DATE)
    plan_enterprise = forms.ModelChoiceField(label=_("For enterprise"), queryset=None, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, entries=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["plan_enterprise"].queryset = entries


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=pgettext_lazy("budget", "Item"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (CNY)"), max_digits=14, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 4}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 4}))


class ApproveForm(forms.Form):
    pool = forms.ModelChoiceField(label=_("Budget pool"), queryset=None)
    amount = forms.DecimalField(label=_("Approved amount (CNY)"), max_digits=14, decimal_places=2, min_value=0)
    selected = forms.MultipleChoiceField(label=_("Selected enterprises"), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Decision note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, pools=None, entries=(), **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = pools
        self.fields["selected"].choices = [(str(e.profile_id), str(e.profile)) for e in entries]


class ReportForm(KeepUploadsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("done", _("Done")), ("cancelled", _("Cancelled"))],
        widget=forms.RadioSelect,
        initial="done",
    )
    done_date = forms.DateField(label=_("Date held"), required=False, widget=DATE)
    attendance = forms.IntegerField(label=_("Attendance"), required=False, min_value=0)
    report = forms.CharField(
        label=_("Report (or reason for cancelling)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(label=_("Evidence (sign-in sheet, photos, materials)"), required=False)


class CompleteForm(forms.Form):
    summary = forms.CharField(label=_("What the plan achieved"), widget=forms.Textarea(attrs={"rows": 5}))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SupervisionNoteForm(forms.Form):
    body = forms.CharField(label=_("Supervision note"), widget=forms.Textarea(attrs={"rows": 4}))


class ProfileForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise (from the directory)"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).order_by("name_zh"),
    )
    pending_name = forms.CharField(label=_("Or the name of a new enterprise"), required=False, max_length=200)
    pending_region = forms.ChoiceField(
        label=_("Region of the new enterprise"), required=False, choices=[("", "—"), *Region.choices]
    )
    pending_uscc = forms.CharField(
        label=_("Unified social credit code of the new enterprise"), required=False, max_length=18
    )
    industry = forms.CharField(label=_("Industry"), max_length=100)
    products_of_interest = forms.CharField(
        label=_("Products of interest"),
        required=False,
        max_length=300,
        help_text=_("Separate with commas, e.g. 铜, 铝, 天然橡胶."),
    )
    situation = forms.ChoiceField(label=_("Situation"), choices=EnterpriseSituation.choices, widget=forms.RadioSelect)
    obstacle_description = forms.CharField(
        label=_("Obstacles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the enterprise faces obstacles."),
    )
    is_key_enterprise = forms.BooleanField(label=_("Key or leading enterprise"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProfileEditForm(ProfileForm):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for name in ("enterprise", "pending_name", "pending_region", "pending_uscc"):
            del self.fields[name]


class ContactLogForm(forms.Form):
    contact_date = forms.DateField(label=_("Date"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    participants = forms.CharField(
        label=pgettext_lazy("participants", "Who"), max_length=200, help_text=_("Who took part, on both sides.")
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.CharField(label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RegisterEnterpriseForm(forms.Form):
    uscc = forms.CharField(label=_("Unified social credit code"), required=False, max_length=18)
