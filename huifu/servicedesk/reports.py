"""Report figures per period: received, answered, answered on time — by department, topic and
channel — and their Excel export. Counted over items (each suggestion / help request), with
their tracked deadlines."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from huifu.tracking.models import TrackedItem
from huifu.workdays.engine import end_of_day

from .models import FeedbackItem, ItemStatus
from .services.common import ITEM_KIND


def _items(start: datetime.date | None, end: datetime.date | None) -> Any:
    qs = FeedbackItem.objects.exclude(form__status="draft")
    if start:
        qs = qs.filter(form__received_at__gte=end_of_day(start - datetime.timedelta(days=1)))
    if end:
        qs = qs.filter(form__received_at__lte=end_of_day(end))
    tracked = TrackedItem.objects.filter(
        target_type=ContentType.objects.get_for_model(FeedbackItem),
        kind=ITEM_KIND,
        target_id=Cast(OuterRef("pk"), output_field=TrackedItem._meta.get_field("target_id")),
    )
    return qs.annotate(is_on_time=Exists(tracked.filter(on_time=True)))


AGG = {
    "received": Count("pk", distinct=True),
    "answered": Count("pk", filter=Q(status__in=ItemStatus.answered()), distinct=True),
    # on_time is only set on a closed deadline, i.e. an answered item.
    "on_time": Count("pk", filter=Q(is_on_time=True), distinct=True),
}


def report(start: datetime.date | None = None, end: datetime.date | None = None) -> dict[str, Any]:
    qs = _items(start, end)
    totals = qs.aggregate(**AGG)
    by_channel = list(qs.values("form__channel").annotate(**AGG).order_by("form__channel"))
    by_department = list(qs.values("departments__name_zh").annotate(**AGG).order_by("departments__name_zh"))
    by_topic = list(qs.values("topics__name").annotate(**AGG).order_by("topics__name"))
    from .models import Channel

    labels = dict(Channel.choices)
    for row in by_channel:
        row["label"] = str(labels.get(row["form__channel"], row["form__channel"]))
    for row in by_department:
        row["label"] = row["departments__name_zh"] or _("(not assigned)")
    for row in by_topic:
        row["label"] = row["topics__name"] or _("(no topic)")
    return {"totals": totals, "by_channel": by_channel, "by_department": by_department, "by_topic": by_topic}


def report_workbook(data: dict[str, Any], start: Any, end: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")[:31]
    ws.append([_("Member Voice feedback report"), f"{start or ''} – {end or ''}"])
    ws["A1"].font = Font(bold=True)
    header = [_("Group"), _("Received"), _("Answered"), _("Answered on time")]
    ws.append([])
    ws.append(header)
    t = data["totals"]
    ws.append([_("Total"), t["received"], t["answered"], t["on_time"]])
    for key, title in (
        ("by_department", _("By department")),
        ("by_topic", _("By topic")),
        ("by_channel", _("By channel")),
    ):
        sheet = wb.create_sheet(str(title)[:31])
        sheet.append(header)
        for row in data[key]:
            sheet.append([str(row["label"]), row["received"], row["answered"], row["on_time"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
