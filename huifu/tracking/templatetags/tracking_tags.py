"""``{% deadline item %}``: a tracked item's due date with its state (on time, late, paused,
overdue, provisional), written in Python. As a template include it cost about a third of the
work queue's rendering, once per row (issue #9); ``tracking/_deadline.html`` calls this tag so
every page that includes it shows the same markup."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ..models import TrackedStatus

register = template.Library()


def _due(due_at: Any) -> SafeString:
    local = timezone.localtime(due_at)
    day = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
    return format_html('{} <time datetime="{}">{}</time>', gettext("Due"), local.isoformat(), day)


@register.simple_tag
def deadline(item: Any) -> SafeString:
    if not item:
        return mark_safe("")
    parts: list[str] = []
    if item.status == TrackedStatus.DONE:
        parts.append(_due(item.due_at))
        if item.on_time:
            parts.append(format_html('<span class="badge badge-ok">{}</span>', gettext("answered on time")))
        else:
            parts.append(format_html('<span class="badge badge-bad">{}</span>', gettext("answered late")))
    elif item.status == TrackedStatus.CANCELLED:
        parts.append(format_html('<span class="badge">{}</span>', gettext("cancelled")))
    else:
        parts.append(_due(item.due_at))
        if item.status == TrackedStatus.PAUSED:
            parts.append(
                format_html(
                    '<span class="badge badge-warn" title="{}">{}</span>', item.pause_reason, gettext("clock paused")
                )
            )
        elif item.is_overdue:
            parts.append(format_html('<span class="badge badge-bad">{}</span>', gettext("overdue")))
    if item.provisional:
        title = "".join(f"{conditional_escape(warning)} " for warning in item.warnings)
        parts.append(
            format_html('<span class="badge badge-warn" title="{}">{}</span>', mark_safe(title), gettext("provisional"))  # noqa: S308
        )
    return format_html('<span class="deadline nowrap">{}</span>', mark_safe("\n".join(parts)))  # noqa: S308
