"""Settlement operations. Each is one transaction and one audit entry::

    settlement_create(*, project, period_start, period_end, actor) -> SettlementRun   (draft)
    settlement_compute(*, run, actor) -> SettlementRun     draft/computed -> computed (replaces lines)
    settlement_review(*, run, actor) -> SettlementRun      computed -> reviewed (not by who ran it)
    settlement_return(*, run, actor, reason) -> SettlementRun   reviewed -> computed
    settlement_approve(*, run, actor) -> SettlementRun     reviewed -> approved (a third person)
    settlement_cancel(*, run, actor, reason) -> SettlementRun   any but approved -> cancelled

No two live runs of one project overlap (a trading day is settled once): creation and approval
lock the project row and refuse an overlap naming the run and the days. Caps that hold for the
whole project carry forward what earlier approved runs paid (``inputs["prior"]``); approval
refuses a run computed before another run of the project was approved (``stale_caps``).

``settlement_verification(run)`` (line by line) and ``settlement_verify(run)`` recompute a run from its stored inputs (rule snapshot, caps,
participations, per-line figures and trading days) without reading trading data again and
say whether every stored amount is reproduced.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_transition
from huifu.core.permissions import require
from huifu.incentives.models import CapScope, MissingDayRule, PayoutOrder
from huifu.incentives.selectors import participations_for_settlement
from huifu.tradingdata.selectors import member_days_with_data, member_product_totals_windows, trading_calendar
from huifu.workdays.engine import CHINA_TZ, DayType, field_error

from . import engine
from .models import (
    SETTLEMENT_TRANSITIONS,
    LineKind,
    SettlementLine,
    SettlementRun,
    SettlementStatement,
    SettlementStatus,
)

ENGINE_VERSION = 2


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


def _overlap_error(run: SettlementRun, start: datetime.date, end: datetime.date) -> ValidationError:
    first, last = max(start, run.period_start), min(end, run.period_end)
    days = trading_calendar().trading_day_count(first, last)
    return field_error(
        "period_start",
        _(
            "Settlement #%(id)s (%(run_start)s to %(run_end)s, %(state)s) already covers %(first)s to "
            "%(last)s of this period (%(days)s trading days): a trading day is settled only once. "
            "Choose a period after it, or cancel that settlement first if it is not approved."
        )
        % {
            "id": run.pk,
            "run_start": run.period_start,
            "run_end": run.period_end,
            "state": SettlementStatus(run.status).label,
            "first": first,
            "last": last,
            "days": days,
        },
        "overlap",
    )


def _overlapping(project: Any, start: datetime.date, end: datetime.date, exclude: int | None = None) -> Any:
    """Live runs of ``project`` sharing at least one day with ``start``..``end``."""
    qs = SettlementRun.objects.filter(
        project=project,
        status__in=SettlementStatus.live(),
        period_start__lte=end,
        period_end__gte=start,
    ).order_by("period_start", "id")
    return qs.exclude(pk=exclude) if exclude else qs


def _lock_project(project: Any) -> Any:
    """Lock the project row: runs of one project are created and approved one at a time."""
    from huifu.incentives.models import Project

    return Project.objects.select_for_update().get(pk=project.pk)


def settlement_create(
    *, project: Any, period_start: datetime.date, period_end: datetime.date, actor: Any
) -> SettlementRun:
    """A draft run for ``project`` over ``period_start``..``period_end`` (inclusive).

    Refused (code ``overlap``) when any live run of the project (draft, computed, reviewed or
    approved) shares a day with the period; the project row is locked so two requests at the
    same moment cannot both pass the check."""
    require(actor, "settlements.run_settlement")
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
        project = _lock_project(project)
        clash = _overlapping(project, period_start, period_end).first()
        if clash is not None:
            raise _overlap_error(clash, period_start, period_end)
        run = SettlementRun.objects.create(
            project=project, period_start=period_start, period_end=period_end, created_by=actor
        )
        audit_create(actor=actor, target=run)
    return run


def settlement_cancel(*, run: SettlementRun, actor: Any, reason: str) -> SettlementRun:
    """Cancel a run that is not approved (it frees its period for another run)."""
    require(actor, "settlements.run_settlement")
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the settlement is cancelled."), "required")
    with transaction.atomic():
        run = SettlementRun.objects.select_for_update().get(pk=run.pk)
        source = _move(run, SettlementStatus.CANCELLED)
        run.save()
        audit_transition(actor=actor, target=run, source=source, target_state=run.status, message=reason[:500])
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


def _days_of(calendar: Any, start: datetime.date, end: datetime.date, kind: str) -> list[str]:
    """Days in ``start``..``end`` that are exchange closures (``closure``) or make-up working
    days (``makeup``): named on the statement as excluded."""
    days, day = [], start
    while day <= end:
        if (
            kind == "closure"
            and calendar.is_closure(day)
            and calendar.working.day_type(day) == DayType.WORKDAY
            or kind == "makeup"
            and calendar.working.day_type(day) == DayType.MAKEUP_WORKDAY
        ):
            days.append(day.isoformat())
        day += datetime.timedelta(days=1)
    return days


def _prior(run: SettlementRun) -> dict[str, Any]:
    """What the project's other approved runs paid: in total, per member, per member × product."""
    runs = list(
        SettlementRun.objects.filter(project_id=run.project_id, status=SettlementStatus.APPROVED)
        .exclude(pk=run.pk)
        .order_by("period_start", "id")
        .values("id", "period_start", "period_end", "total_amount")
    )
    ids = [r["id"] for r in runs]
    members: dict[str, Decimal] = defaultdict(Decimal)
    for org_id, amount in SettlementStatement.objects.filter(run_id__in=ids).values_list(
        "organisation_id", "total_amount"
    ):
        members[str(org_id)] += amount
    products: dict[str, Decimal] = defaultdict(Decimal)
    for org_id, product_id, amount in SettlementLine.objects.filter(
        statement__run_id__in=ids, kind=LineKind.PRODUCT
    ).values_list("statement__organisation_id", "product_id", "amount"):
        products[f"{org_id}:{product_id}"] += amount
    return {
        "runs": [
            {"id": r["id"], "start": r["period_start"].isoformat(), "end": r["period_end"].isoformat()} for r in runs
        ],
        "project_total": _s(sum((r["total_amount"] for r in runs), Decimal("0"))),
        "members": {k: _s(v) for k, v in sorted(members.items())},
        "products": {k: _s(v) for k, v in sorted(products.items())},
    }


def _gather(run: SettlementRun) -> dict[str, Any]:
    """Everything the computation reads, as JSON: the run's stored ``inputs`` plus figures."""
    project = run.project
    calendar = trading_calendar()
    participations = list(participations_for_settlement(project=project))
    rules = sorted((_rule_snapshot(r) for r in project.rules.all()), key=lambda r: r["product_code"])
    rule_ids = {r["product_id"] for r in rules}
    settled = (max(run.period_start, project.period_start), min(run.period_end, project.period_end))
    settled_days = calendar.trading_day_count(*settled)
    project_days = calendar.trading_day_count(project.period_start, project.period_end)
    entries = []
    # Most participations share a window: count and name its days once.
    counts: dict[tuple[datetime.date, datetime.date], int] = {}
    excluded: dict[tuple[datetime.date, datetime.date], tuple[list[str], list[str]]] = {}

    def count(start: datetime.date, end: datetime.date) -> int:
        if (start, end) not in counts:
            counts[(start, end)] = calendar.trading_day_count(start, end)
        return counts[(start, end)]

    for p in participations:
        accepted_on = timezone.localtime(p.accepted_at, CHINA_TZ).date() if p.accepted_at else None
        window = _window(run, p)
        window_days = count(*window) if window else 0
        info: dict[str, Any] = {}
        if window:
            if p.effective_from and window[0] == p.effective_from and p.effective_from > settled[0]:
                info["joined_on"] = p.effective_from.isoformat()
            if p.effective_to and window[1] == p.effective_to and p.effective_to < settled[1]:
                info["left_on"] = p.effective_to.isoformat()
            if window not in excluded:
                excluded[window] = (
                    _days_of(calendar, window[0], window[1], "closure"),
                    _days_of(calendar, window[0], window[1], "makeup"),
                )
            info["closures"], info["makeup_days"] = (list(days) for days in excluded[window])
        member_start = max(d for d in (project.period_start, p.effective_from) if d)
        member_end = min(d for d in (project.period_end, p.effective_to) if d)
        project_member_days = count(member_start, member_end) if member_start <= member_end else 0
        entries.append(
            {
                "participation_id": p.pk,
                "organisation_id": p.organisation_id,
                "member_number": p.organisation.member_number or "",
                "effective_from": p.effective_from.isoformat() if p.effective_from else None,
                "effective_to": p.effective_to.isoformat() if p.effective_to else None,
                "window": [window[0].isoformat(), window[1].isoformat()] if window else None,
                "window_info": info,
                "trading_days": window_days,
                "project_trading_days": project_member_days,
                "result": p.result,
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
        if project.missing_day_rule == MissingDayRule.DATA_MISSING:
            with_data = member_days_with_data(windows)
            for e in round_:
                missing = [
                    d.isoformat()
                    for d in calendar.trading_days_between(*windows[e["organisation_id"]])
                    if d not in with_data[e["organisation_id"]]
                ]
                e["window_info"]["missing_days"] = missing
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
            "trading_days": project_days,
            "cap_per_member": _s(project.cap_per_member),
            "cap_total": _s(project.cap_total),
            "cap_total_scope": project.cap_total_scope,
            "cap_per_member_scope": project.cap_per_member_scope,
            "rule_cap_scope": project.rule_cap_scope,
            "cap_ratio_public": project.cap_ratio_public,
            "prorate_for_joiners": project.prorate_for_joiners,
            "payout_order": project.payout_order,
            "missing_day_rule": project.missing_day_rule,
        },
        "period": {
            "start": run.period_start.isoformat(),
            "end": run.period_end.isoformat(),
            "trading_days": calendar.trading_day_count(run.period_start, run.period_end),
            "settled_trading_days": settled_days,
            "closures": closures,
            "provisional_years": calendar.provisional_years(run.period_start, run.period_end),
        },
        "prior": _prior(run),
        "rules": rules,
        "participations": entries,
        "figures": figures,
    }


def _factor(part: int, whole: int) -> Decimal | None:
    """The pro-rating share part/whole, or None when the member took part all along."""
    if not whole or part >= whole:
        return None
    return Decimal(part) / Decimal(whole)


def compute_from_inputs(inputs: dict[str, Any]) -> list[tuple[dict[str, Any], engine.MemberResult]]:
    """The whole computation from stored inputs alone (no database): members with their lines.

    Inputs stored before the settlement decisions existed (engine version 1) have none of them
    and are computed as they were then: caps per run, no pro-rating, payout before the cap."""
    rules = {r["product_id"]: engine.RuleInput.from_snapshot(r) for r in inputs["rules"]}
    period_start = datetime.date.fromisoformat(inputs["period"]["start"])
    period_end = datetime.date.fromisoformat(inputs["period"]["end"])
    project = inputs["project"]
    prior = inputs.get("prior") or {}
    rule_scope = project.get("rule_cap_scope", CapScope.RUN)
    member_scope = project.get("cap_per_member_scope", CapScope.RUN)
    total_scope = project.get("cap_total_scope", CapScope.RUN)
    prorate = bool(project.get("prorate_for_joiners"))
    payout_after_cap = project.get("payout_order") == PayoutOrder.AFTER_RULE_CAP
    settled_days = int(inputs["period"].get("settled_trading_days") or inputs["period"]["trading_days"])
    members: dict[int, tuple[dict[str, Any], engine.MemberResult]] = {}
    member_factor: dict[int, Decimal | None] = {}
    for entry in inputs["participations"]:
        org_id = entry["organisation_id"]
        if org_id not in members:
            members[org_id] = (entry, engine.MemberResult(org_id, entry["member_number"], []))
        member = members[org_id][1]
        ratio = Decimal(entry["payout_ratio"])
        if prorate:
            if member_scope == CapScope.PROJECT:
                member_factor[org_id] = _factor(
                    int(entry.get("project_trading_days", 0)), int(project.get("trading_days", 0))
                )
            else:
                member_factor[org_id] = _factor(int(entry["trading_days"]), settled_days)
        if entry["window"]:
            window = (datetime.date.fromisoformat(entry["window"][0]), datetime.date.fromisoformat(entry["window"][1]))
            info = entry.get("window_info") or {}
            days = int(entry["trading_days"]) - len(info.get("missing_days") or [])
            factor = _factor(int(entry["trading_days"]), settled_days) if prorate else None
            for product_id in entry["product_ids"]:
                data = inputs["figures"][f"{entry['participation_id']}:{product_id}"]
                fig = engine.Figures(
                    volume=int(data["volume"]),
                    turnover=Decimal(data["turnover"]),
                    open_interest_sum=int(data["open_interest_sum"]),
                    trading_days=days,
                )
                used = Decimal("0")
                if rule_scope == CapScope.PROJECT:
                    used = Decimal((prior.get("products") or {}).get(f"{org_id}:{product_id}", "0"))
                line = engine.compute_line(
                    rule=rules[product_id],
                    figures=fig,
                    window=window,
                    payout_ratio=ratio,
                    prorate=factor,
                    rule_cap_used=used,
                    rule_cap_scope=rule_scope,
                    payout_after_cap=payout_after_cap,
                    window_info=info,
                )
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
    member_cap = Decimal(project["cap_per_member"]) if project["cap_per_member"] else None
    total_cap = Decimal(project["cap_total"]) if project["cap_total"] else None
    for _entry, member in results:
        used = Decimal("0")
        if member_scope == CapScope.PROJECT:
            used = Decimal((prior.get("members") or {}).get(str(member.organisation_id), "0"))
        engine.apply_member_cap(
            member, member_cap, used=used, scope=member_scope, factor=member_factor.get(member.organisation_id)
        )
    used_total = Decimal(prior.get("project_total") or "0") if total_scope == CapScope.PROJECT else Decimal("0")
    engine.apply_project_cap([m for _e, m in results], total_cap, used=used_total, scope=total_scope)
    return results


def settlement_compute(*, run: SettlementRun, actor: Any) -> SettlementRun:
    """Compute (or re-compute) a draft or computed run: its statements and lines are replaced."""
    require(actor, "settlements.run_settlement")
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


@dataclass(frozen=True)
class VerifiedLine:
    member_number: str
    organisation_id: int
    position: int
    label: str
    stored: Decimal | None
    recomputed: Decimal | None

    @property
    def matches(self) -> bool:
        return self.stored == self.recomputed


@dataclass
class Verification:
    """Recomputing a run from its stored inputs, line by line."""

    run: SettlementRun
    lines: list[VerifiedLine]
    stored_total: Decimal
    recomputed_total: Decimal | None
    has_inputs: bool
    error: str = ""  # the stored inputs could not be read (changed by hand?)

    @property
    def matches(self) -> bool:
        return (
            self.has_inputs
            and not self.error
            and all(line.matches for line in self.lines)
            and self.stored_total == self.recomputed_total
        )

    @property
    def mismatches(self) -> list[VerifiedLine]:
        return [line for line in self.lines if not line.matches]


def settlement_verification(run: SettlementRun) -> Verification:
    """Recompute ``run`` from its stored ``inputs`` alone (rule snapshot, caps, decisions, what
    earlier runs paid, participations, per-line figures, trading days) and compare every stored
    line amount, line by line. Reads no trading data; changes nothing."""
    stored_rows = list(
        SettlementLine.objects.filter(statement__run=run)
        .order_by("statement__organisation__member_number", "statement_id", "position")
        .values_list(
            "statement__organisation_id",
            "statement__organisation__member_number",
            "position",
            "product__code",
            "amount",
        )
    )
    if not run.inputs:
        return Verification(run, [], run.total_amount, None, False)
    try:
        results = compute_from_inputs(run.inputs)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError, ValidationError) as exc:
        lines = [
            VerifiedLine(number or "", org_id, position, code or _("Fixed award"), amount, None)
            for org_id, number, position, code, amount in stored_rows
        ]
        return Verification(run, lines, run.total_amount, None, True, error=f"{type(exc).__name__}: {exc}"[:300])
    expected: dict[tuple[int, int], tuple[str, str, Decimal]] = {}
    for _entry, member in results:
        for position, line in enumerate(member.lines, start=1):
            expected[(member.organisation_id, position)] = (member.member_key, line.product_code, line.amount)
    lines = []
    for org_id, number, position, code, amount in stored_rows:
        key = (org_id, position)
        found = expected.pop(key, None)
        lines.append(
            VerifiedLine(number or "", org_id, position, code or _("Fixed award"), amount, found[2] if found else None)
        )
    for (org_id, position), (number, code, amount) in sorted(expected.items(), key=lambda kv: (kv[1][0], kv[0])):
        lines.append(VerifiedLine(number, org_id, position, code or _("Fixed award"), None, amount))
    recomputed_total = sum((m.total for _e, m in results), Decimal("0"))
    return Verification(run, lines, run.total_amount, recomputed_total, True)


def settlement_verify(run: SettlementRun) -> bool:
    """True when recomputing from the stored inputs reproduces every stored amount."""
    return settlement_verification(run).matches


# --- review and approval ------------------------------------------------------------------------


def settlement_review(*, run: SettlementRun, actor: Any) -> SettlementRun:
    """Mark a computed run reviewed. Not by the person who ran it (four eyes)."""
    require(actor, "settlements.review_settlement", run)
    with transaction.atomic():
        run = SettlementRun.objects.select_for_update().get(pk=run.pk)
        require(actor, "settlements.review_settlement", run)
        source = _move(run, SettlementStatus.REVIEWED)
        run.reviewed_by = actor
        run.reviewed_at = timezone.now()
        run.save()
        audit_transition(actor=actor, target=run, source=source, target_state=run.status)
    return run


def settlement_return(*, run: SettlementRun, actor: Any, reason: str) -> SettlementRun:
    """Send a reviewed run back to computed (it may then be recomputed)."""
    require(actor, "settlements.review_settlement", run)
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
    require(actor, "settlements.approve_settlement", run)
    with transaction.atomic():
        _lock_project(run.project)
        run = SettlementRun.objects.select_for_update().get(pk=run.pk)
        require(actor, "settlements.approve_settlement", run)
        clash = _overlapping(run.project_id, run.period_start, run.period_end, exclude=run.pk).filter(
            status=SettlementStatus.APPROVED
        )
        if clash.exists():
            raise _overlap_error(clash.first(), run.period_start, run.period_end)
        computed_with = [r["id"] for r in (run.inputs.get("prior") or {}).get("runs", [])]
        approved_now = list(
            SettlementRun.objects.filter(project_id=run.project_id, status=SettlementStatus.APPROVED)
            .exclude(pk=run.pk)
            .order_by("period_start", "id")
            .values_list("id", flat=True)
        )
        if run.inputs.get("engine_version", 1) >= 2 and computed_with != approved_now:
            raise ValidationError(
                _(
                    "Another settlement of this project was approved after this one was computed, so the caps "
                    "it carries forward are out of date. Send it back and compute it again."
                ),
                code="stale_caps",
            )
        source = _move(run, SettlementStatus.APPROVED)
        run.approved_by = actor
        run.approved_at = timezone.now()
        run.save()
        audit_transition(actor=actor, target=run, source=source, target_state=run.status)
    return run
