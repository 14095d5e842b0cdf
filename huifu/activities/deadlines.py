"""Stage deadlines of an activity, as data: a ``huifu.tracking`` ``TrackingPolicy`` per kind
(``default_rule``/``default_amount``) overrides the defaults below, so staff change them
without a release."""

from __future__ import annotations

from huifu.tracking.models import DeadlineRule, TrackingPolicy

REVIEW = "activity_review"  # the exchange reviews an application
SUMMARY = "activity_summary"  # the partner submits the summary after the event
SUMMARY_REVIEW = "activity_summary_review"  # the exchange reviews the summary
PAYMENT = "activity_payment"  # Finance pays after the invoice

DEFAULTS: dict[str, tuple[str, int]] = {
    REVIEW: (DeadlineRule.WORKING_DAYS, 5),
    SUMMARY: (DeadlineRule.WORKING_DAYS, 10),
    SUMMARY_REVIEW: (DeadlineRule.WORKING_DAYS, 5),
    PAYMENT: (DeadlineRule.WORKING_DAYS, 10),
}


def rule_for(kind: str) -> tuple[str, int]:
    policy = TrackingPolicy.objects.filter(kind=kind).first()
    default_rule, default_amount = DEFAULTS[kind]
    if policy is None:
        return default_rule, default_amount
    return (
        policy.default_rule or default_rule,
        policy.default_amount if policy.default_amount is not None else default_amount,
    )
