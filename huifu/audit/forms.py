"""The filter form of the audit list (also used to validate the API's query parameters)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import AuditAction


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (name or e-mail)"), required=False, max_length=200)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All"))] + AuditAction.choices)
    record_type = forms.CharField(
        label=_("Kind of record"),
        required=False,
        max_length=120,
        help_text=_("app_label.model, e.g. directory.organisation"),
    )
    record_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, record_types: list[ContentType] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if record_types is not None:
            self.fields["record_type"].widget = forms.Select(
                choices=[("", _("All"))]
                + [
                    (
                        f"{ct.app_label}.{ct.model}",
                        f"{ct.model_class()._meta.verbose_name if ct.model_class() else ct.model}",
                    )
                    for ct in record_types
                ]
            )

    def clean_record_type(self) -> ContentType | None:
        value = self.cleaned_data.get("record_type", "").strip().lower()
        if not value:
            return None
        app_label, _dot, model = value.partition(".")
        try:
            return ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            raise forms.ValidationError(_("Unknown kind of record “%(value)s”."), params={"value": value})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.audit_events`` (only valid fields)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "actor": (data.get("actor") or "").strip(),
            "action": data.get("action") or "",
            "target_type": data.get("record_type"),
            "target_id": (data.get("record_id") or "").strip(),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
