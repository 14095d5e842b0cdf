"""Forms only collect input; the rules are in ``services.py``. Choice lists are scoped by the
actor, so another organisation's id in the body is refused like one that does not exist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huifu.core.phones import PhoneField

from .models import OrgRole, User, UserKind
from .predicates import is_coordinator
from .selectors import UserFilters, assignable_departments, manageable_organisations
from .services import MANAGED_KINDS

LANGUAGE_CHOICES = [("", _("Site default (Chinese)")), *settings.LANGUAGES]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind of user"),
        required=False,
        choices=[("", _("All kinds")), *[c for c in UserKind.choices if c[0] != UserKind.SYSTEM]],
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Deactivated"))],
    )

    def filters(self) -> UserFilters:
        if not self.is_valid():
            return UserFilters()
        data = self.cleaned_data
        return UserFilters(q=data["q"].strip(), kind=data["kind"], active=data["active"])


class ScopedModelChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("This is not one you can choose: it does not exist or is outside what you manage."),
    }


class UserCreateForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=80)
    phone = PhoneField(label=_("Phone"), required=False)
    kind = forms.ChoiceField(label=_("Kind of user"))
    organisation = ScopedModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    org_role = forms.ChoiceField(
        label=_("Role in the organisation"), choices=[("", "—"), *OrgRole.choices], required=False
    )
    department = ScopedModelChoiceField(label=_("Department (staff only)"), queryset=None, required=False)
    is_department_head = forms.BooleanField(label=_("Head of department (staff only)"), required=False)
    preferred_language = forms.ChoiceField(label=_("Language of e-mails"), choices=LANGUAGE_CHOICES, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        organisations = manageable_organisations(actor=actor)
        self.fields["organisation"].queryset = organisations
        self.fields["department"].queryset = assignable_departments(actor=actor)
        if is_coordinator(actor):
            self.fields["kind"].choices = [(k.value, k.label) for k in MANAGED_KINDS]
        else:
            # An org admin creates users of their own organisation, of the one kind it allows.
            from .services import user_kind_for_organisation

            own = actor.organisation
            kind = user_kind_for_organisation(own)
            self.fields["kind"].choices = [(kind, UserKind(kind).label)]
            self.fields["kind"].initial = kind
            self.fields["organisation"].initial = own.pk
            self.fields["organisation"].required = True
            self.fields["org_role"].initial = OrgRole.CONTACT
            del self.fields["department"]
            del self.fields["is_department_head"]


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=80)
    phone = PhoneField(label=_("Phone"), required=False)
    org_role = forms.ChoiceField(label=_("Role in the organisation"), choices=OrgRole.choices, required=False)
    department = ScopedModelChoiceField(label=_("Department"), queryset=None, required=False)
    is_department_head = forms.BooleanField(label=_("Head of department"), required=False)
    preferred_language = forms.ChoiceField(label=_("Language of e-mails"), choices=LANGUAGE_CHOICES, required=False)

    def __init__(self, *args: Any, actor: Any, target: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = assignable_departments(actor=actor)
        if target.kind == UserKind.STAFF:
            del self.fields["org_role"]
        else:
            del self.fields["department"]
            del self.fields["is_department_head"]
        if not is_coordinator(actor):
            self.fields.pop("department", None)
            self.fields.pop("is_department_head", None)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=80)
    phone = PhoneField(label=_("Phone"), required=False)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=80, help_text=_("What will use it, e.g. “reporting script”.")
    )
    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that works until you revoke it."),
    )

    def clean_expires_on(self) -> Any:
        value = self.cleaned_data.get("expires_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be after today."))
        return value

    def expires_at(self) -> Any:
        value = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        # Valid through the chosen day, Shanghai time.
        import datetime

        return timezone.make_aware(datetime.datetime.combine(value, datetime.time(23, 59, 59)))


class OrgSecurityForm(forms.Form):
    require_mfa = forms.BooleanField(
        label=_("Require two-factor authentication (TOTP) for every user of the organisation"), required=False
    )
