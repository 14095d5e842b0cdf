"""The identity page's forms: the identity's fields and logo; the hotline form is the hotline
app's own (``huifu.hotline.forms.SettingForm``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SiteIdentity
from .services import IDENTITY_FIELDS


class IdentityForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    logo_upload = forms.FileField(
        label=_("New logo"), required=False, help_text=_("PNG or JPEG, shown in the header and on the public site.")
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = SiteIdentity
        fields = list(IDENTITY_FIELDS)
        widgets = {
            "intro_zh": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3}),
        }
