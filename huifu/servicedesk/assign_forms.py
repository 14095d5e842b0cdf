"""The one-step assignment of a whole Member Voice form: a lead department, an owner (offered by
department, searchable) and further departments (ticked, not Ctrl-clicked) per item, or the same
for all items left blank."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huifu.core.widgets import QuickModelChoiceField, QuickSelect
from huifu.directory.models import Department
from huifu.tracking.forms import staff_field, use_staff_choices


def _department_field(label: Any) -> QuickModelChoiceField:
    return QuickModelChoiceField(
        label=label, required=False, queryset=Department.objects.none(), label_field="name_zh", widget=QuickSelect
    )


class FormAssignForm(forms.Form):
    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True).order_by("sort_order", "name_zh")
        self.items = [item for item in items if not item.is_answered]
        self.fields["all_department"] = _department_field(_("Lead department"))
        self.fields["all_owner"] = staff_field(
            label=_("Owner"), required=False, follow="id_all_department", fill_leader=True
        )
        for item in self.items:
            prefix = f"item_{item.pk}"
            self.fields[f"{prefix}_department"] = _department_field(_("Lead department"))
            self.fields[f"{prefix}_owner"] = staff_field(
                label=_("Owner"), required=False, follow=f"id_{prefix}_department", fill_leader=True
            )
            self.fields[f"{prefix}_also"] = forms.ModelMultipleChoiceField(
                label=_("Also to"),
                required=False,
                queryset=departments,
                widget=forms.CheckboxSelectMultiple,
            )
            current = list(item.departments.all())
            self.initial.setdefault(f"{prefix}_department", current[0].pk if current else None)
            self.initial.setdefault(f"{prefix}_owner", item.owner_id)
            self.initial.setdefault(f"{prefix}_also", [d.pk for d in current[1:]])
        for name, field in self.fields.items():
            if name.endswith("_department"):
                field.queryset = departments
            elif name.endswith("_owner"):
                use_staff_choices(field)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "item": item,
                "department": self[f"item_{item.pk}_department"],
                "owner": self[f"item_{item.pk}_owner"],
                "also": self[f"item_{item.pk}_also"],
            }
            for item in self.items
        ]

    def assignments(self) -> list[tuple[Any, Any, list[Any]]]:
        """(item, owner, departments lead first) for each item with an owner or a department, the
        blanks filled from "same for all"; an owner without a department brings their own (every
        staff member has exactly one)."""
        data = self.cleaned_data
        out = []
        for item in self.items:
            prefix = f"item_{item.pk}"
            lead = data.get(f"{prefix}_department") or data.get("all_department")
            owner = data.get(f"{prefix}_owner") or data.get("all_owner")
            if lead is None and owner is not None:
                lead = owner.department
            if lead is None and owner is None:
                continue
            unchanged = (
                owner is not None
                and owner.pk == item.owner_id
                and [lead.pk if lead else None, *(d.pk for d in data.get(f"{prefix}_also") or [])]
                == [d.pk for d in item.departments.all()]
            )
            if unchanged:
                continue
            also = [d for d in data.get(f"{prefix}_also") or [] if lead is None or d.pk != lead.pk]
            out.append((item, owner, [d for d in [lead, *also] if d is not None]))
        return out
