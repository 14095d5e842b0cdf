"""Speaker forms. They parse input; the services validate the business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.accounts.models import User
from huifu.directory.models import Organisation, OrganisationKind
from huifu.products.models import Product

from .models import SpeakerKind


class SpeakerForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=SpeakerKind.choices, initial=SpeakerKind.EXPERT)
    title = forms.CharField(label=pgettext_lazy("job", "Title"), max_length=200, required=False)
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("For experts and lecturers; a member analyst's company is chosen below."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Member company"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Member analysts only."),
    )
    account_email = forms.EmailField(
        label=_("User account (e-mail)"),
        required=False,
        help_text=_("Optional: the speaker's Huifu account, to answer invitations after logging in."),
    )
    contact_email = forms.EmailField(
        label=_("E-mail for invitations"), required=False, help_text=_("Empty: the account's e-mail.")
    )
    topics = forms.CharField(label=pgettext_lazy("speaker", "Topics"), max_length=300, required=False)
    products = forms.ModelMultipleChoiceField(label=_("Products"), queryset=Product.objects.none(), required=False)
    bio = forms.CharField(
        label=_("Short biography"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=OrganisationKind.member_kinds()
        ).order_by("name_zh")
        self.fields["products"].queryset = Product.objects.order_by("code")

    def clean_account_email(self) -> User | None:
        email = self.cleaned_data.get("account_email") or ""
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No user account has this e-mail address."))
        return user

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["user"] = data.pop("account_email")
        return data


class SpeakerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return " · ".join(part for part in (obj.name, obj.get_kind_display(), obj.affiliation) if part)


class InviteForm(forms.Form):
    speaker = SpeakerChoiceField(label=_("Speaker"), queryset=User.objects.none())
    reply_by = forms.DateField(
        label=_("Reply by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("A working day before the session; reminders go out the working day before and on that day."),
    )
    message = forms.CharField(
        label=_("Message to the speaker"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, speakers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = speakers


class AnswerForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
