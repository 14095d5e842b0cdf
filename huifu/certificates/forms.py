from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to staff; the public page shows only that and when it was revoked."),
    )


class ReissueForm(forms.Form):
    holder_name = forms.CharField(
        label=_("Corrected name"),
        max_length=80,
        help_text=_('A new certificate with a new number replaces this one; this one will say "replaced by".'),
    )
