"""Reading trading data: the trading calendar, import batches, and period aggregates.

``trading_calendar()`` is the one way to read the trading calendar (two small queries: the
working-day year records, cached by ``huifu.workdays``, and the closures).

``member_product_totals`` is the aggregate the settlement reads: one SQL ``GROUP BY`` per
question, never a loop over days.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from huifu.workdays.selectors import calendar_snapshot

from .calendar import TradingCalendar
from .models import DailyMemberStat, ExchangeClosure, ImportBatch, RankingRow


def trading_calendar() -> TradingCalendar:
    return TradingCalendar(calendar_snapshot(), ExchangeClosure.objects.values_list("day", flat=True))


def is_trading_day(day: datetime.date) -> bool:
    return trading_calendar().is_trading_day(day)


def trading_days_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Trading days from ``start`` to ``end``, both included (see ``TradingCalendar``)."""
    return trading_calendar().trading_days_between(start, end)


def next_trading_day(day: datetime.date) -> datetime.date:
    return trading_calendar().next_trading_day(day)


# --- staff lists --------------------------------------------------------------------------------


def batches_for(user: Any) -> QuerySet[ImportBatch]:
    if not user.has_perm("tradingdata.view_trading_data"):
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")


def batch_get(*, user: Any, batch_id: int) -> ImportBatch:
    batch = batches_for(user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def closures_for(user: Any) -> QuerySet[ExchangeClosure]:
    if not user.has_perm("tradingdata.view_trading_data"):
        return ExchangeClosure.objects.none()
    return ExchangeClosure.objects.select_related("created_by").order_by("-day")


def ranking_rows_for(user: Any, *, report_date: datetime.date | None = None) -> QuerySet[RankingRow]:
    if not user.has_perm("tradingdata.view_trading_data"):
        return RankingRow.objects.none()
    qs = RankingRow.objects.all()
    if report_date is not None:
        qs = qs.filter(report_date=report_date)
    return qs.order_by("report_date", "product_sort_no", "contract", "rank", "line")


def data_coverage(user: Any) -> dict[str, Any]:
    """How much daily data there is: rows, first and last day, distinct days (one query)."""
    from django.db.models import Max, Min

    if not user.has_perm("tradingdata.view_trading_data"):
        return {}
    return DailyMemberStat.objects.aggregate(
        rows=Count("trade_date"),
        first=Min("trade_date"),
        last=Max("trade_date"),
        days=Count("trade_date", distinct=True),
    )


# --- aggregates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberProductTotals:
    """One member's trading in one product over a window of trading days."""

    organisation_id: int
    product_id: int
    volume: int
    turnover: Decimal
    open_interest_sum: int  # sum of the daily open interest (lots × days)
    days_with_data: int
    trading_days: int  # trading days in the window: the divisor of daily averages

    @property
    def average_open_interest(self) -> Decimal:
        """Daily average open interest over the window's trading days (a day without a row counts 0)."""
        if not self.trading_days:
            return Decimal("0")
        return Decimal(self.open_interest_sum) / Decimal(self.trading_days)


def member_product_totals(
    *,
    start: datetime.date,
    end: datetime.date,
    organisation_ids: Iterable[int] | None = None,
    product_ids: Iterable[int] | None = None,
    calendar: TradingCalendar | None = None,
) -> dict[tuple[int, int], MemberProductTotals]:
    """Totals per (organisation, product) over ``start``..``end`` (both included), one query.

    Daily averages divide by the number of *trading* days in the window (make-up working days
    and closures excluded), not by the days that happen to have rows. Internal use (the
    settlement engine); pages read through user-scoped selectors.
    """
    calendar = calendar or trading_calendar()
    trading_days = calendar.trading_day_count(start, end)
    qs = DailyMemberStat.objects.filter(trade_date__gte=start, trade_date__lte=end)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    if product_ids is not None:
        qs = qs.filter(product_id__in=list(product_ids))
    rows = (
        qs.order_by()
        .values("organisation_id", "product_id")
        .annotate(
            volume_sum=Sum("volume"),
            turnover_sum=Sum("turnover"),
            oi_sum=Sum("open_interest"),
            days=Count("trade_date", distinct=True),
        )
    )
    return {
        (r["organisation_id"], r["product_id"]): MemberProductTotals(
            organisation_id=r["organisation_id"],
            product_id=r["product_id"],
            volume=int(r["volume_sum"] or 0),
            turnover=Decimal(r["turnover_sum"] or 0),
            open_interest_sum=int(r["oi_sum"] or 0),
            days_with_data=r["days"],
            trading_days=trading_days,
        )
        for r in rows
    }


def member_product_totals_windows(
    windows: dict[int, tuple[datetime.date, datetime.date]],
    *,
    product_ids: Iterable[int] | None = None,
    calendar: TradingCalendar | None = None,
) -> dict[tuple[int, int], MemberProductTotals]:
    """Like ``member_product_totals`` but each organisation has its own window
    ``{organisation_id: (start, end)}`` (a member that joined mid-period counts from its
    effective date). One query for all members: a ``Q`` per distinct window."""
    calendar = calendar or trading_calendar()
    if not windows:
        return {}
    by_window: dict[tuple[datetime.date, datetime.date], list[int]] = {}
    for org_id, window in windows.items():
        by_window.setdefault(window, []).append(org_id)
    condition = Q()
    for (start, end), org_ids in by_window.items():
        condition |= Q(organisation_id__in=org_ids, trade_date__gte=start, trade_date__lte=end)
    qs = DailyMemberStat.objects.filter(condition)
    if product_ids is not None:
        qs = qs.filter(product_id__in=list(product_ids))
    rows = (
        qs.order_by()
        .values("organisation_id", "product_id")
        .annotate(
            volume_sum=Sum("volume"),
            turnover_sum=Sum("turnover"),
            oi_sum=Sum("open_interest"),
            days=Count("trade_date", distinct=True),
        )
    )
    day_counts = {window: calendar.trading_day_count(*window) for window in by_window}
    return {
        (r["organisation_id"], r["product_id"]): MemberProductTotals(
            organisation_id=r["organisation_id"],
            product_id=r["product_id"],
            volume=int(r["volume_sum"] or 0),
            turnover=Decimal(r["turnover_sum"] or 0),
            open_interest_sum=int(r["oi_sum"] or 0),
            days_with_data=r["days"],
            trading_days=day_counts[windows[r["organisation_id"]]],
        )
        for r in rows
    }


def member_days_with_data(windows: dict[int, tuple[datetime.date, datetime.date]]) -> dict[int, set[datetime.date]]:
    """The trading days on which each organisation has at least one daily row (any product),
    inside its own window ``{organisation_id: (start, end)}``. One query."""
    if not windows:
        return {}
    condition = Q()
    for org_id, (start, end) in windows.items():
        condition |= Q(organisation_id=org_id, trade_date__gte=start, trade_date__lte=end)
    found: dict[int, set[datetime.date]] = {org_id: set() for org_id in windows}
    for org_id, day in (
        DailyMemberStat.objects.filter(condition).order_by().values_list("organisation_id", "trade_date").distinct()
    ):
        found[org_id].add(day)
    return found
