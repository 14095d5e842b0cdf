"""Event forms. They parse input; the services validate the business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.directory.models import Organisation
from huifu.products.models import Product

from .models import CO_ORGANISER_KINDS, Audience, Mode, SeriesKind, Slot, Speaker, TopicType


class SeriesForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=SeriesKind.choices)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    offer_working_days = forms.IntegerField(
        label=_("Working days to confirm an offered seat"),
        min_value=0,
        max_value=10,
        initial=1,
        help_text=_("A seat offered from the waiting list must be confirmed by the end of this working day."),
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    slot = forms.ChoiceField(label=_("Half day"), choices=Slot.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100000, required=False)
    platform = forms.CharField(label=_("Platform"), max_length=100, required=False)
    link = forms.URLField(
        label=pgettext_lazy("online meeting", "Link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to people registered for the session."),
    )
    topic_type = forms.ChoiceField(label=_("Topic type"), choices=TopicType.choices)
    audiences = forms.MultipleChoiceField(label=_("Audiences"), choices=(), widget=forms.CheckboxSelectMultiple)
    programme = forms.CharField(label=_("Programme"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    requires_approval = forms.BooleanField(label=_("Registrations need approval"), required=False)
    registration_closes_at = forms.DateTimeField(
        label=_("Registration closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: when the session starts."),
    )
    # Seats per audience (quota_<audience> fields, added in __init__), per company, waiting list.
    company_seat_limit = forms.IntegerField(
        label=_("Seats per company"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("At most this many people of one organisation hold a seat. Empty: no limit."),
    )
    waiting_list = forms.BooleanField(
        label=_("Keep a waiting list when full"),
        required=False,
        initial=True,
        help_text=_("Otherwise sign-ups are refused once the seats are taken."),
    )
    products = forms.ModelMultipleChoiceField(label=_("Products"), queryset=Product.objects.none(), required=False)
    speakers = forms.ModelMultipleChoiceField(label=_("Speakers"), queryset=Speaker.objects.none(), required=False)
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisers"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, series_kind: str, manager: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(Audience.for_kind(series_kind))
        self.fields["audiences"].choices = [(v, label) for v, label in Audience.choices if v in allowed]
        self.fields["products"].queryset = Product.objects.order_by("code")
        self.fields["speakers"].queryset = Speaker.objects.order_by("name", "pk")
        self.fields["co_organisers"].queryset = Organisation.objects.filter(kind__in=CO_ORGANISER_KINDS).order_by(
            "name_zh"
        )
        self.quota_fields = self._add_quota_fields(allowed)
        if not manager:
            # A co-organiser edits the content; the exchange keeps the date, place size and partners.
            for name in (
                *self.quota_fields,
                "company_seat_limit",
                "waiting_list",
                "date",
                "slot",
                "mode",
                "capacity",
                "co_organisers",
                "requires_approval",
                "registration_closes_at",
            ):
                del self.fields[name]
            self.quota_fields = {}

    def _add_quota_fields(self, allowed: set[str]) -> dict[str, str]:
        """One "seats reserved" field per audience of the series kind, after the capacity."""
        quotas = self.initial.get("audience_quotas") or {}
        fields: dict[str, str] = {}
        names = list(self.fields)
        position = names.index("capacity") + 1
        for value, label in Audience.choices:
            if value not in allowed:
                continue
            name = f"quota_{value}"
            fields[name] = value
            self.fields[name] = forms.IntegerField(
                label=_("Seats reserved for %(audience)s") % {"audience": label},
                min_value=0,
                max_value=100000,
                required=False,
                help_text=_("Empty: this audience shares the seats not reserved."),
            )
            self.initial.setdefault(name, quotas.get(value))
            names.insert(position, name)
            position += 1
        self.order_fields(names)
        return fields

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.quota_fields:
            data["audience_quotas"] = {
                audience: data[name] for name, audience in self.quota_fields.items() if data.get(name) is not None
            }
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
