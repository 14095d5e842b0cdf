"""Settlement operations. Each is one transaction and one audit entry::

    settlement_create(*, project, period_start, period_end, actor) -> SettlementRun   (draft)
    settlement_compute(*, run, actor) -> SettlementRun     draft/computed -> computed (replaces lines)
    settlement_review(*, run, actor) -> SettlementRun      computed -> reviewed (not by who ran it)
    settlement_return(*, run, actor, reason) -> SettlementRun   reviewed -> computed
    settlement_approve(*, run, actor) -> SettlementRun     reviewed -> approved (a third person)

``settlement_verify(run)`` recomputes a run from its stored inputs (rule snapshot, caps,
participations, per-line figures and trading days) without reading trading data again and
says whether every stored amount is reproduced.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_transition
from huifu.incentives.selectors import participations_for_settlement
from huifu.tradingdata.selectors import member_product_totals_windows, trading_calendar
from huifu.workdays.engine import CHINA_TZ, field_error

from . import engine
from .models import (
    SETTLEMENT_TRANSITIONS,
    LineKind,
    SettlementLine,
    SettlementRun,
    SettlementStatement,
    SettlementStatus,
)

ENGINE_VERSION = 1


def _s(value: Any) -> str | None:
    return None if value is None else format(Decimal(value), "f")


def _move(run: SettlementRun, target: str) -> str:
    source = run.status
    if target not in SETTLEMENT_TRANSITIONS[source]:
        raise ValidationError(
            _("A settlement in state “%(state)s” cannot be moved to “%(target)s”.")
            % {"state": SettlementStatus(source).label, "target": SettlementStatus(target).label},
            code="illegal_transition",
        )
    run.status = target
    return source


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def settlement_create(
    *, project: Any, period_start: datetime.date, period_end: datetime.date, actor: Any
) -> SettlementRun:
    """A draft run for ``project`` over ``period_start``..``period_end`` (inclusive)."""
    _require(actor, "settlements.run_settlement")
    if period_end < period_start:
        raise field_error("period_end", _("The period ends before it starts."), "period_order")
    if period_end < project.period_start or period_start > project.period_end:
        raise field_error(
            "period_start",
            _("The period lies outside the project's period (%(start)s to %(end)s).")
            % {"start": project.period_start, "end": project.period_end},
            "outside_project",
        )
    with transaction.atomic():
        if SettlementRun.objects.filter(project=project, period_start=period_start, period_end=period_end).exists():
            raise field_error("period_start", _("This project already has a settlement for this period."), "duplicate")
        run = SettlementRun.objects.create(
            project=project, period_start=period_start, period_end=period_end, created_by=actor
        )
        audit_create(actor=actor, target=run)
    return run


# --- computation --------------------------------------------------------------------------------


def _rule_snapshot(rule: Any) -> dict[str, Any]:
    product = rule.product
    return {
        "product_id": product.pk,
        "product_code": product.code,
        "basis": rule.basis,
        "tier_mode": rule.tier_mode,
        "tiers": rule.tiers,
        "min_volume": _s(rule.min_volume),
        "min_avg_open_interest": _s(rule.min_avg_open_interest),
        "cap_per_member": _s(rule.cap_per_member),
        "fee_basis": product.fee_basis,
        "fee_per_lot": _s(product.fee_per_lot),
        "fee_rate": _s(product.fee_rate),
    }


def _window(run: SettlementRun, participation: Any) -> tuple[datetime.date, datetime.date] | None:
    project = run.project
    start = max(d for d in (project.period_start, participation.effective_from, run.period_start) if d)
    end = min(d for d in (project.period_end, participation.effective_to, run.period_end) if d)
    return (start, end) if start <= end else None


def _gather(run: SettlementRun) -> dict[str, Any]:
    """Everything the computation reads, as JSON: the run's stored ``inputs`` plus figures."""
    project = run.project
    calendar = trading_calendar()
    participations = list(participations_for_settlement(project=project))
    rules = sorted((_rule_snapshot(r) for r in project.rules.all()), key=lambda r: r["product_code"])
    rule_ids = {r["product_id"] for r in rules}
    entries = []
    for p in participations:
        accepted_on = timezone.localtime(p.accepted_at, CHINA_TZ).date() if p.accepted_at else None
        window = _window(run, p)
        entries.append(
            {
                "participation_id": p.pk,
                "organisation_id": p.organisation_id,
                "member_number": p.organisation.member_number or "",
                "effective_from": p.effective_from.isoformat() if p.effective_from else None,
                "effective_to": p.effective_to.isoformat() if p.effective_to else None,
                "window": [window[0].isoformat(), window[1].isoformat()] if window else None,
                "trading_days": calendar.trading_day_count(*window) if window else 0,
                "payout_ratio": _s(p.payout_ratio if p.payout_ratio is not None else Decimal("1")),
                "product_ids": sorted(pr.pk for pr in p.products.all() if pr.pk in rule_ids),
                "award_amount": _s(p.award_amount),
                "accepted_on": accepted_on.isoformat() if accepted_on else None,
            }
        )
    # Trading data: one aggregate query per "round" (an organisation appears once per round).
    figures: dict[str, dict[str, Any]] = {}
    pending = [e for e in entries if e["window"] and e["product_ids"]]
    while pending:
        round_, seen, rest = [], set(), []
        for e in pending:
            (rest if e["organisation_id"] in seen else round_).append(e)
            seen.add(e["organisation_id"])
        windows = {
            e["organisation_id"]: (
                datetime.date.fromisoformat(e["window"][0]),
                datetime.date.fromisoformat(e["window"][1]),
            )
            for e in round_
        }
        totals = member_product_totals_windows(windows, product_ids=rule_ids, calendar=calendar)
        for e in round_:
            for product_id in e["product_ids"]:
                t = totals.get((e["organisation_id"], product_id))
                figures[f"{e['participation_id']}:{product_id}"] = {
                    "volume": t.volume if t else 0,
                    "turnover": _s(t.turnover) if t else "0",
                    "open_interest_sum": t.open_interest_sum if t else 0,
                }
        pending = rest
    closures = sorted(d.isoformat() for d in calendar.closures if run.period_start <= d <= run.period_end)
    return {
        "engine_version": ENGINE_VERSION,
        "project": {
            "code": project.code,
            "period_start": project.period_start.isoformat(),
            "period_end": project.period_end.isoformat(),
            "cap_per_member": _s(project.cap_per_member),
            "cap_total": _s(project.cap_total),
        },
        "period": {
            "start": run.period_start.isoformat(),
            "end": run.period_end.isoformat(),
            "trading_days": calendar.trading_day_count(run.period_start, run.period_end),
            "closures": closures,
            "provisional_years": calendar.provisional_years(run.period_start, run.period_end),
        },
        "rules": rules,
        "participations": entries,
        "figures": figures,
    }


def compute_from_inputs(inputs: dict[str, Any]) -> list[tuple[dict[str, Any], engine.MemberResult]]:
    """The whole computation from stored inputs alone (no database): members with their lines."""
    rules = {r["product_id"]: engine.RuleInput.from_snapshot(r) for r in inputs["rules"]}
    period_start = datetime.date.fromisoformat(inputs["period"]["start"])
    period_end = datetime.date.fromisoformat(inputs["period"]["end"])
    members: dict[int, tuple[dict[str, Any], engine.MemberResult]] = {}
    for entry in inputs["participations"]:
        org_id = entry["organisation_id"]
        if org_id not in members:
            members[org_id] = (entry, engine.MemberResult(org_id, entry["member_number"], []))
        member = members[org_id][1]
        ratio = Decimal(entry["payout_ratio"])
        if entry["window"]:
            window = (datetime.date.fromisoformat(entry["window"][0]), datetime.date.fromisoformat(entry["window"][1]))
            for product_id in entry["product_ids"]:
                data = inputs["figures"][f"{entry['participation_id']}:{product_id}"]
                fig = engine.Figures(
                    volume=int(data["volume"]),
                    turnover=Decimal(data["turnover"]),
                    open_interest_sum=int(data["open_interest_sum"]),
                    trading_days=int(entry["trading_days"]),
                )
                line = engine.compute_line(rule=rules[product_id], figures=fig, window=window, payout_ratio=ratio)
                line.participation_id = entry["participation_id"]  # type: ignore[attr-defined]
                member.lines.append(line)
        accepted_on = entry["accepted_on"]
        if (
            entry["award_amount"]
            and accepted_on
            and period_start <= datetime.date.fromisoformat(accepted_on) <= period_end
        ):
            award = engine.award_line(
                amount=Decimal(entry["award_amount"]), accepted_on=datetime.date.fromisoformat(accepted_on)
            )
            award.participation_id = entry["participation_id"]  # type: ignore[attr-defined]
            member.lines.append(award)
    results = sorted(members.values(), key=lambda pair: (pair[1].member_key, pair[1].organisation_id))
    results = [(e, m) for e, m in results if m.lines]
    project = inputs["project"]
    member_cap = Decimal(project["cap_per_member"]) if project["cap_per_member"] else None
    total_cap = Decimal(project["cap_total"]) if project["cap_total"] else None
    for _entry, member in results:
        engine.apply_member_cap(member, member_cap)
    engine.apply_project_cap([m for _e, m in results], total_cap)
    return results


def settlement_compute(*, run: SettlementRun, actor: Any) -> SettlementRun:
    """Compute (or re-compute) a draft or computed run: its statements and lines are replaced."""
    _require(actor, "settlements.run_settlement")
    with transaction.atomic():
        run = SettlementRun.objects.select_for_update().select_related("project").get(pk=run.pk)
        if not run.is_recomputable:
            raise ValidationError(
                _("Only a draft or computed settlement can be computed again; this one is %(state)s.")
                % {"state": SettlementStatus(run.status).label},
                code="not_recomputable",
            )
        inputs = _gather(run)
        results = compute_from_inputs(inputs)
        run.statements.all().delete()
        statements = SettlementStatement.objects.bulk_create(
            [
                SettlementStatement(
                    run=run,
                    organisation_id=member.organisation_id,
                    total_amount=member.total,
                    amount_before_caps=member.before_caps,
                    explanation=member.explanation,
                )
                for _entry, member in results
            ]
        )
        lines = []
        for statement, (_entry, member) in zip(statements, results, strict=True):
            for position, line in enumerate(member.lines, start=1):
                lines.append(
                    SettlementLine(
                        statement=statement,
                        participation_id=line.participation_id,  # type: ignore[attr-defined]
                        kind=LineKind.PRODUCT if line.product_id else LineKind.AWARD,
                        product_id=line.product_id,
                        position=position,
                        window_start=line.window[0] if line.window else None,
                        window_end=line.window[1] if line.window else None,
                        trading_days=line.figures.trading_days,
                        volume=line.figures.volume,
                        turnover=line.figures.turnover,
                        fees=line.fees.quantize(Decimal("0.0001")),
                        avg_open_interest=line.figures.average_open_interest.quantize(Decimal("0.0001")),
                        basis=next((s["basis"] for s in line.explanation if s["step"] == "measure"), ""),
                        measure=line.measure.quantize(Decimal("0.0001")),
                        qualified=line.qualified,
                        amount_before_caps=line.amount_before_caps,
                        amount=line.amount,
                        explanation=line.explanation,
                    )
                )
        SettlementLine.objects.bulk_create(lines, batch_size=2000)
        source = _move(run, SettlementStatus.COMPUTED)
        run.inputs = inputs
        run.total_amount = sum((m.total for _e, m in results), Decimal("0"))
        run.statement_count = len(results)
        run.computed_at = timezone.now()
        run.computed_by = actor
        run.save()
        audit_transition(
            actor=actor,
            target=run,
            source=source,
            target_state=run.status,
            message=_("%(members)s members, %(total)s CNY")
            % {"members": run.statement_count, "total": run.total_amount},
        )
    return run


def settlement_verify(run: SettlementRun) -> bool:
    """True when recomputing from the stored inputs reproduces every stored amount."""
    if not run.inputs:
        return False
    results = compute_from_inputs(run.inputs)
    expected = {m.organisation_id: [line.amount for line in m.lines] for _e, m in results}
    stored: dict[int, list[Decimal]] = defaultdict(list)
    for org_id, amount in (
        SettlementLine.objects.filter(statement__run=run)
        .order_by("statement_id", "position")
        .values_list("statement__organisation_id", "amount")
    ):
        stored[org_id].append(amount)
    return expected == dict(stored)


# --- review and approval ------------------------------------------------------------------------


def settlement_review(*, run: SettlementRun, actor: Any) -> SettlementRun:
    """Mark a computed run reviewed. Not by the person who ran it (four eyes)."""
    _require(actor, "settlements.review_settlement", run)
    with transaction.atomic():
        run = SettlementRun.objects.select_for_update().get(pk=run.pk)
        _require(actor, "settlements.review_settlement", run)
        source = _move(run, SettlementStatus.REVIEWED)
        run.reviewed_by = actor
        run.reviewed_at = timezone.now()
        run.save()
        audit_transition(actor=actor, target=run, source=source, target_state=run.status)
    return run


def settlement_return(*, run: SettlementRun, actor: Any, reason: str) -> SettlementRun:
    """Send a reviewed run back to computed (it may then be recomputed)."""
    _require(actor, "settlements.review_settlement", run)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the settlement goes back."), "required")
    with transaction.atomic():
        run = SettlementRun.objects.select_for_update().get(pk=run.pk)
        if run.status != SettlementStatus.REVIEWED:
            raise ValidationError(_("Only a reviewed settlement can be sent back."), code="illegal_transition")
        source = _move(run, SettlementStatus.COMPUTED)
        run.reviewed_by = None
        run.reviewed_at = None
        run.save()
        audit_transition(actor=actor, target=run, source=source, target_state=run.status, message=reason[:500])
    return run


def settlement_approve(*, run: SettlementRun, actor: Any) -> SettlementRun:
    """Approve a reviewed run: final; its statements become visible to the members."""
    _require(actor, "settlements.approve_settlement", run)
    with transaction.atomic():
        run = SettlementRun.objects.select_for_update().get(pk=run.pk)
        _require(actor, "settlements.approve_settlement", run)
        source = _move(run, SettlementStatus.APPROVED)
        run.approved_by = actor
        run.approved_at = timezone.now()
        run.save()
        audit_transition(actor=actor, target=run, source=source, target_state=run.status)
    return run
