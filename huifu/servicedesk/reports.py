"""Report figures per period: received, answered, answered on time — by department, topic and
channel — and their Excel export. Counted over items (each suggestion / help request), with
their tracked deadlines.

The page reads a summary (``ReportFigure``: one row per receipt day and group) that
``report_refresh`` recomputes from scratch — run by ``manage.py servicedesk_report_refresh`` from
cron (every 10 minutes) — and shows its "as of" time. Without a summary yet it counts live
(``report_live``), which is exact but grows with history (issue #9: over 60 s at 10^6 items)."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huifu.tracking.models import TrackedItem
from huifu.workdays.engine import CHINA_TZ, end_of_day

from .models import Channel, FeedbackItem, ItemStatus, ReportDimension, ReportFigure, ReportSnapshot
from .services.common import ITEM_KIND


def _items(start: datetime.date | None, end: datetime.date | None) -> QuerySet[FeedbackItem]:
    qs = FeedbackItem.objects.exclude(form__status="draft")
    if start:
        qs = qs.filter(form__received_at__gt=end_of_day(start - datetime.timedelta(days=1)))
    if end:
        qs = qs.filter(form__received_at__lte=end_of_day(end))
    return qs.order_by()


def _aggregates() -> dict[str, Count]:
    """Conditional counts over items. "On time" is an item whose tracked deadline closed on time:
    an uncorrelated ``id IN (SELECT target_id …)`` that the database evaluates once per query
    (a hashed subplan), not a correlated lookup per item."""
    on_time_ids = TrackedItem.objects.filter(
        target_type=ContentType.objects.get_for_model(FeedbackItem), kind=ITEM_KIND, on_time=True
    ).values(item_id=Cast("target_id", IntegerField()))
    return {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(status__in=ItemStatus.answered())),
        "on_time": Count("pk", filter=Q(pk__in=on_time_ids)),
    }


def _grouped(qs: QuerySet[FeedbackItem], field: str) -> list[dict[str, Any]]:
    # Grouping by the M2M element itself (department, topic) counts each item once per group,
    # so no COUNT(DISTINCT …) is needed; an item without one falls in the NULL group.
    return list(qs.values(field).annotate(**_aggregates()).order_by(field))


GROUPS = (
    (ReportDimension.CHANNEL, "form__channel"),
    (ReportDimension.DEPARTMENT, "departments__name_zh"),
    (ReportDimension.TOPIC, "topics__name"),
)


def report(start: datetime.date | None = None, end: datetime.date | None = None) -> dict[str, Any]:
    """The report of the period from the summary, with ``as_of`` (when it was recomputed); counted
    live (``as_of`` None) while no summary exists. One query for the snapshot, one for the rows."""
    snapshot = ReportSnapshot.objects.order_by("-refreshed_at").first()
    if snapshot is None:
        return report_live(start, end)
    figures = ReportFigure.objects.all()
    if start:
        figures = figures.filter(day__gte=start)
    if end:
        figures = figures.filter(day__lte=end)
    sums = figures.values("dimension", "key").annotate(
        received=Sum("received"), answered=Sum("answered"), on_time=Sum("on_time")
    )
    grouped: dict[str, list[dict[str, Any]]] = {dimension: [] for dimension, _field in GROUPS}
    fields = dict(GROUPS)
    for row in sorted(sums, key=lambda r: (r["key"] == "", r["key"])):
        grouped[row["dimension"]].append(
            {
                fields[row["dimension"]]: row["key"] or None,
                "received": row["received"],
                "answered": row["answered"],
                "on_time": row["on_time"],
            }
        )
    data = _labelled(
        grouped[ReportDimension.CHANNEL], grouped[ReportDimension.DEPARTMENT], grouped[ReportDimension.TOPIC]
    )
    data["as_of"] = snapshot.refreshed_at
    return data


def report_refresh() -> ReportSnapshot:
    """Recompute the summary from scratch (three grouped queries by receipt day) and replace it
    in one transaction; readers see the old figures until it commits, and two refreshes never
    interleave (the table is locked against writers)."""
    t0 = time.monotonic()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A job, not a request: room for the hashed on-time set of every item.
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute(f"LOCK TABLE {ReportFigure._meta.db_table} IN EXCLUSIVE MODE")
        rows = []
        days = _items(None, None).annotate(day=TruncDate("form__received_at", tzinfo=CHINA_TZ))
        for dimension, field in GROUPS:
            for row in days.values("day", field).annotate(**_aggregates()).order_by():
                rows.append(
                    ReportFigure(
                        day=row["day"],
                        dimension=dimension,
                        key=row[field] or "",
                        received=row["received"],
                        answered=row["answered"],
                        on_time=row["on_time"],
                    )
                )
        ReportFigure.objects.all().delete()
        ReportFigure.objects.bulk_create(rows, batch_size=5000)
        return ReportSnapshot.objects.create(refreshed_at=timezone.now(), seconds=time.monotonic() - t0)


def report_live(start: datetime.date | None = None, end: datetime.date | None = None) -> dict[str, Any]:
    """Received / answered / answered on time in the period (by the form's receipt), in total and
    by channel, department and topic: three grouped queries (the totals are the sum of the
    channel rows: every item has exactly one channel)."""
    qs = _items(start, end)
    by_channel = _grouped(qs, "form__channel")
    by_department = _grouped(qs, "departments__name_zh")
    by_topic = _grouped(qs, "topics__name")
    data = _labelled(by_channel, by_department, by_topic)
    data["as_of"] = None
    return data


def _labelled(by_channel: list[dict], by_department: list[dict], by_topic: list[dict]) -> dict[str, Any]:
    totals = {key: sum(row[key] for row in by_channel) for key in ("received", "answered", "on_time")}
    labels = dict(Channel.choices)
    for row in by_channel:
        row["label"] = str(labels.get(row["form__channel"], row["form__channel"]))
    for row in by_department:
        row["label"] = row["departments__name_zh"] or _("(not assigned)")
    for row in by_topic:
        row["label"] = row["topics__name"] or _("(no topic)")
    return {"totals": totals, "by_channel": by_channel, "by_department": by_department, "by_topic": by_topic}


def report_workbook(data: dict[str, Any], start: Any, end: Any) -> bytes:
    from openpyxl.styles import Font

    from huifu.core import spreadsheets

    wb = spreadsheets.workbook()
    ws = wb.active
    ws.title = pgettext("report", "Summary")[:31]
    spreadsheets.append(ws, [_("Member Voice feedback report"), f"{start or ''} – {end or ''}"])
    ws["A1"].font = Font(bold=True)
    header = [_("Group"), pgettext("report count", "Received"), _("Answered"), _("Answered on time")]
    spreadsheets.append(ws, [])
    spreadsheets.append(ws, header)
    t = data["totals"]
    spreadsheets.append(ws, [_("Total"), t["received"], t["answered"], t["on_time"]])
    for key, title in (
        ("by_department", _("By department")),
        ("by_topic", _("By topic")),
        ("by_channel", _("By channel")),
    ):
        sheet = wb.create_sheet(str(title)[:31])
        spreadsheets.append(sheet, header)
        for row in data[key]:
            spreadsheets.append(sheet, [str(row["label"]), row["received"], row["answered"], row["on_time"]])
    return spreadsheets.to_bytes(wb)
