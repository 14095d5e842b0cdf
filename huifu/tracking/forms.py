from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.accounts.models import User, UserKind
from huifu.core.widgets import QuickModelChoiceField, QuickSelect
from huifu.directory.models import Department, Organisation

from .kinds import kind_choices
from .selectors import SORTS, queue_topics


def staff_queryset():  # noqa: ANN201
    return User.objects.filter(kind=UserKind.STAFF, is_active=True).order_by("full_name")


def staff_choices(*, empty: bool = True) -> list:
    """Active staff grouped by department (the option groups a ``QuickSelect(follow=…)`` narrows
    to the department chosen next to it): one query, (pk, name) pairs."""
    groups: dict[str, list] = {}
    rows = (
        User.objects.filter(kind=UserKind.STAFF, is_active=True)
        .order_by("department__sort_order", "department__name_zh", "full_name")
        .values_list("pk", "full_name", "email", "department__name_zh")
    )
    for pk, name, email, department in rows:
        groups.setdefault(department or "—", []).append((pk, name or email))
    return ([("", "---------")] if empty else []) + list(groups.items())


def staff_field(**kwargs: object) -> QuickModelChoiceField:
    """An owner picker: searchable, grouped by department, narrowed by the ``follow`` select."""
    follow = kwargs.pop("follow", "")
    fill_leader = kwargs.pop("fill_leader", False)
    return QuickModelChoiceField(
        queryset=User.objects.none(),
        widget=QuickSelect(searchable=True, follow=follow, fill_leader=fill_leader),
        **kwargs,
    )


def use_staff_choices(field: forms.ModelChoiceField) -> None:
    field.queryset = staff_queryset()
    field.widget.choices = staff_choices()


class QueueFilterForm(forms.Form):
    """The queue's filters: every one a list to choose from (the searchable ones for long lists),
    never a code to type."""

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
    kind = forms.ChoiceField(label=pgettext_lazy("tracked kind", "Kind of work"), required=False, widget=QuickSelect)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=QuickSelect(searchable=True))
    organisation = QuickModelChoiceField(
        label=_("Company"),
        required=False,
        queryset=Organisation.objects.none(),
        label_field="name_zh",
        widget=QuickSelect(searchable=True),
    )
    department = QuickModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.none(), label_field="name_zh"
    )
    owner = staff_field(label=_("Owner"), required=False, follow="id_department")
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    sort = forms.ChoiceField(
        label=pgettext_lazy("queue", "Sort by"),
        required=False,
        choices=[
            ("deadline", pgettext_lazy("queue sort", "Deadline")),
            ("company", pgettext_lazy("queue sort", "Company")),
            ("state", pgettext_lazy("queue sort", "State")),
        ],
        widget=QuickSelect,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", "---------")]
        self.fields["kind"].choices = everything + kind_choices()
        self.fields["topic"].choices = everything + [(t, t) for t in queue_topics()]
        self.fields["organisation"].queryset = Organisation.objects.order_by("name_zh")
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("sort_order", "name_zh")
        use_staff_choices(self.fields["owner"])
        assert set(SORTS) == {value for value, _label in self.fields["sort"].choices}


class BulkForm(forms.Form):
    """Bulk assignment from the queue: the checked items get the owner and/or the lead
    department chosen here (at least one of the two)."""

    items = forms.TypedMultipleChoiceField(
        label=_("Items"),
        coerce=int,
        choices=(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Tick the items to assign first.")},
    )
    department = QuickModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        label_field="name_zh",
    )
    owner = staff_field(label=_("Owner"), required=False, follow="id_bulk-department", fill_leader=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "bulk")  # its ids stay apart from the filters' (id_bulk-owner)
        super().__init__(*args, **kwargs)
        use_staff_choices(self.fields["owner"])
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("sort_order", "name_zh")
        posted = self.data.getlist(self.add_prefix("items")) if self.data else []
        self.fields["items"].choices = [(v, v) for v in posted]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("owner") and not data.get("department"):
            raise forms.ValidationError(_("Choose an owner or a department for the checked items."))
        return data
