"""Forms of the directory pages. They only parse input; the services decide and save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import fields_for_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from huifu.core.phones import PhoneField
from huifu.files.kept import KeepUploadsMixin

from .models import BusinessArea, Contact, Department, Liaison, Organisation
from .services.departments import DEPARTMENT_FIELDS
from .services.organisations import CONTACT_FIELDS


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if field.name == "phone":  # the kit's one phone rule (mobile or landline with area code)
        return PhoneField(label=capfirst(field.verbose_name), required=not field.blank, **kwargs)
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class _ModelFieldsForm(forms.Form):
    """A plain form carrying some of a model's fields (labels, choices, lengths from the model)."""

    model: type[Any]

    def __init__(self, *args: Any, fields: Sequence[str], instance: Any = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in fields}
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(self.model, fields=list(fields), formfield_callback=_formfield))


class OrganisationForm(_ModelFieldsForm):
    model = Organisation

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "uscc" in self.fields:
            self.fields["uscc"].widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})
        if "member_number" in self.fields:
            self.fields["member_number"].widget.attrs.update({"inputmode": "numeric"})


class ContactForm(_ModelFieldsForm):
    model = Contact

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fields", CONTACT_FIELDS)
        super().__init__(*args, **kwargs)


class DepartmentForm(_ModelFieldsForm):
    model = Department

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fields", DEPARTMENT_FIELDS)
        super().__init__(*args, **kwargs)


class BusinessAreaForm(_ModelFieldsForm):
    model = BusinessArea

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fields", ("name_zh", "name_en"))
        super().__init__(*args, **kwargs)


class LiaisonForm(_ModelFieldsForm):
    model = Liaison

    def __init__(self, *args: Any, department: Department, **kwargs: Any) -> None:
        kwargs.setdefault("fields", ("business_area", "name", "title", "phone", "email", "is_published"))
        super().__init__(*args, **kwargs)
        self.fields["business_area"].queryset = department.business_areas.order_by("sort_order", "id")
        self.fields["name"].required = True


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ImportForm(KeepUploadsMixin, forms.Form):
    WHAT_CHOICES = [("organisations", _("Organisations")), ("contacts", _("Contacts"))]

    what = forms.ChoiceField(label=_("What the file holds"), choices=WHAT_CHOICES)
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
