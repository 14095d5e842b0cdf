"""Shared helpers of the service-desk services."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.tracking.models import DeadlineRule, TrackingPolicy

from ..models import FORM_TRANSITIONS, FeedbackForm, FormStatus

FORM_KIND = "feedback_form"
ITEM_KIND = "feedback_item"
DEFAULT_RULE = DeadlineRule.CALENDAR_DAYS
DEFAULT_AMOUNT = 14  # "reply within 2 weeks of receipt"

SEAL_PURPOSE = "seal_scan"
LETTER_PURPOSE = "reply_letter"
ICS_PURPOSE = "meeting_ics"
MAIL_PREFIX = "[会服·会员之声]"


class FeedbackStateError(ValidationError):
    """The operation does not fit the form's (or item's) state."""


def guard(form: FeedbackForm, target: str) -> None:
    if target not in FORM_TRANSITIONS.get(form.status, frozenset()):
        raise FeedbackStateError(
            _("A form that is “%(status)s” cannot become “%(target)s”."),
            code="illegal_transition",
            params={"status": form.get_status_display(), "target": FormStatus(target).label},
        )


def deadline_rule() -> tuple[str, int]:
    """The reply deadline as data: ``TrackingPolicy(kind="feedback_form")`` default rule and
    amount, else 14 calendar days."""
    policy = TrackingPolicy.objects.filter(kind=FORM_KIND).first()
    if policy is not None and policy.default_rule and policy.default_amount is not None:
        return policy.default_rule, policy.default_amount
    return DEFAULT_RULE, DEFAULT_AMOUNT


def china_year(moment: datetime.datetime) -> int:
    return timezone.localtime(moment, timezone.get_fixed_timezone(480)).year
