"""Credit hours (学时) printed on a certificate, from the credits app (``huifu.credits.hours``).

Certificates never invent hours: when the credits app is not installed or the session grants
no hours, the certificate carries none and prints none. The hours are the ones the holder was
granted (after the session's partial-attendance rule), stored on the certificate at issue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps


def _credits_hours() -> Any:
    if not apps.is_installed("huifu.credits"):
        return None
    from huifu.credits import hours

    return hours


def session_hours(person: Any, session: Any) -> list[dict[str, str]]:
    """[{"category", "label", "hours"}] granted to ``person`` at ``session`` (hours as exact
    decimal text, label in Chinese as printed); empty when unknown."""
    credits = _credits_hours()
    if credits is None:
        return []
    granted = credits.session_hours_for(person, session)
    return [
        {"category": category.code, "label": category.name_zh, "hours": str(hours)}
        for category, hours in sorted(granted.items(), key=lambda item: (item[0].sort_order, item[0].pk))
        if hours and Decimal(hours) > 0
    ]


def total_hours(person: Any, sessions: list[Any]) -> list[dict[str, str]]:
    """Per category, the sum granted over ``sessions`` (a completion certificate)."""
    totals: dict[str, dict[str, Any]] = {}
    for session in sessions:
        for row in session_hours(person, session):
            slot = totals.setdefault(row["category"], {"label": row["label"], "hours": Decimal(0)})
            slot["hours"] += Decimal(row["hours"])
    return [{"category": k, "label": v["label"], "hours": str(v["hours"])} for k, v in totals.items()]
