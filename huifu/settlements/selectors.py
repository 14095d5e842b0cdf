"""Reading settlements, always scoped by the user who asks.

Staff see every run and statement; a member user sees its own organisation's statements of
approved runs only. Anything else answers 404 (``Http404``), exactly like a missing record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import SettlementLine, SettlementRun, SettlementStatement, SettlementStatus


def runs_for(user: Any) -> QuerySet[SettlementRun]:
    if not user.has_perm("settlements.view_run"):
        return SettlementRun.objects.none()
    return SettlementRun.objects.select_related("project", "created_by", "reviewed_by", "approved_by").order_by(
        "-period_end", "-id"
    )


def run_get(*, user: Any, run_id: int) -> SettlementRun:
    run = runs_for(user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def statements_for(user: Any) -> QuerySet[SettlementStatement]:
    """Statements ``user`` may read: staff all; a member its own organisation's, approved runs only."""
    qs = SettlementStatement.objects.select_related("run", "run__project", "organisation")
    if user.has_perm("settlements.view_run"):
        return qs.order_by("-run__period_end", "run_id", "organisation__member_number")
    if not user.has_perm("settlements.view_settlement_list") or user.organisation_id is None:
        return SettlementStatement.objects.none()
    return qs.filter(organisation_id=user.organisation_id, run__status=SettlementStatus.APPROVED).order_by(
        "-run__period_end", "-run_id"
    )


def statements_of_run(*, user: Any, run: SettlementRun) -> QuerySet[SettlementStatement]:
    return statements_for(user).filter(run=run).order_by("organisation__member_number", "id")


def statement_get(*, user: Any, statement_id: int) -> SettlementStatement:
    statement = (
        statements_for(user)
        .filter(pk=statement_id)
        .prefetch_related(
            Prefetch("lines", queryset=SettlementLine.objects.select_related("product").order_by("position"))
        )
        .first()
    )
    if statement is None:
        raise Http404
    return statement


def lines_of_run(run: SettlementRun) -> QuerySet[SettlementLine]:
    """Every line of a run for the staff export (caller checks ``view_run``)."""
    return (
        SettlementLine.objects.filter(statement__run=run)
        .select_related("statement__organisation", "product")
        .order_by("statement__organisation__member_number", "position")
    )


def _plain(value: Any) -> str | None:
    """A stored ratio without trailing zeros: "0.8000" → "0.8", "1.0000" → "1"."""
    if value in (None, ""):
        return None
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def statement_header(statement: SettlementStatement) -> dict[str, Any]:
    """What the top of a statement says, from the run's stored inputs (so it never moves): the
    member's acceptance result and payout ratio, and the project's settlement decisions."""
    from huifu.incentives.models import AcceptanceResult, CapScope, MissingDayRule, PayoutOrder

    inputs = statement.run.inputs or {}
    project = inputs.get("project") or {}
    entries = [e for e in inputs.get("participations", []) if e.get("organisation_id") == statement.organisation_id]
    entry = entries[0] if entries else {}
    result = entry.get("result") or ""

    def label(choices: Any, value: Any, default: str) -> str:
        try:
            return str(choices(value or default).label)
        except ValueError:
            return str(value)

    return {
        "result": label(AcceptanceResult, result, "accepted") if result else "",
        "payout_ratio": _plain(entry.get("payout_ratio")),
        "joined_on": (entry.get("window_info") or {}).get("joined_on"),
        "cap_total_scope": label(CapScope, project.get("cap_total_scope"), CapScope.RUN),
        "cap_per_member_scope": label(CapScope, project.get("cap_per_member_scope"), CapScope.RUN),
        "rule_cap_scope": label(CapScope, project.get("rule_cap_scope"), CapScope.RUN),
        "prorate_for_joiners": bool(project.get("prorate_for_joiners")),
        "payout_order": label(PayoutOrder, project.get("payout_order"), PayoutOrder.BEFORE_RULE_CAP),
        "missing_day_rule": label(MissingDayRule, project.get("missing_day_rule"), MissingDayRule.HELD_NOTHING),
        "cap_ratio_public": bool(project.get("cap_ratio_public")),
        "engine_version": inputs.get("engine_version", 1),
    }
