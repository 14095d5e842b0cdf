from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from huifu.core.widgets import QuickModelChoiceField, QuickSelect
from huifu.directory.models import Department, Organisation


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("Open or paused")),
            ("open", _("Open")),
            ("paused", _("Paused")),
            ("overdue", _("Overdue")),
            ("done", _("Done")),
            ("cancelled", _("Cancelled")),
            ("all", _("All")),
        ],
        widget=QuickSelect,
    )
    kind = forms.CharField(label=_("Kind"), required=False, max_length=40)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=100)
    organisation = QuickModelChoiceField(
        label=_("Company"), required=False, queryset=Organisation.objects.none(), label_field="name_zh"
    )
    department = QuickModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.none(), label_field="name_zh"
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name_zh")
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("sort_order", "name_zh")
