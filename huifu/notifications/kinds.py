"""The kinds of notification a user can tune: one row each on the preferences page.

A kind groups events the way users think of them (an assignment is an assignment, whichever app
assigns), so the preferences page stays short as apps are added. ``webhook``: events of this kind
may also be posted to the responsible department's group-chat robot (tracking's department
webhook); the kind then offers that switch.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    help: str | Promise
    webhook: bool = False


ASSIGNMENT = "assignment"
REMINDER = "reminder"
ESCALATION = "escalation"
REPLY = "reply"
DECISION = "decision"
PUBLICATION = "publication"
REGISTRATION = "registration"

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(ASSIGNMENT, _("Assignments"), _("A work item is assigned to you or your department."), webhook=True),
        Kind(REMINDER, _("Reminders"), _("A work item or an event you take part in is due soon."), webhook=True),
        Kind(ESCALATION, _("Escalations"), _("A work item is overdue."), webhook=True),
        Kind(REPLY, _("Replies"), _("The exchange answers, asks about or receives your company's feedback.")),
        Kind(DECISION, _("Decisions"), _("A request, application or material of yours is decided.")),
        Kind(PUBLICATION, _("Publications"), _("A notice addressed to you is published.")),
        Kind(
            REGISTRATION,
            pgettext_lazy("notification kind", "Registrations"),
            _("Your registrations and invitations for events."),
        ),
    )
}


def kind_label(code: str) -> str | Promise:
    kind = KINDS.get(code)
    return kind.label if kind else code
