"""``{% deadline item %}`` writes what the template it replaced wrote, in Chinese and English."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import timezone, translation

from huifu.tracking.models import TrackedItem, TrackedStatus
from huifu.workdays.engine import CHINA_TZ

# tracking/_deadline.html before it became a tag (the reference).
REFERENCE = """{% load i18n %}{% if item %}<span class="deadline nowrap">
{% if item.status == "done" %}{% translate "Due" %} <time datetime="{{ item.due_at|date:'c' }}">{{ item.due_at|date:"Y-m-d" }}</time>
  {% if item.on_time %}<span class="badge badge-ok">{% translate "answered on time" %}</span>{% else %}<span class="badge badge-bad">{% translate "answered late" %}</span>{% endif %}
{% elif item.status == "cancelled" %}<span class="badge">{% translate "cancelled" %}</span>
{% else %}{% translate "Due" %} <time datetime="{{ item.due_at|date:'c' }}">{{ item.due_at|date:"Y-m-d" }}</time>
  {% if item.status == "paused" %}<span class="badge badge-warn" title="{{ item.pause_reason }}">{% translate "clock paused" %}</span>
  {% elif item.is_overdue %}<span class="badge badge-bad">{% translate "overdue" %}</span>{% endif %}
{% endif %}
{% if item.provisional %}<span class="badge badge-warn" title="{% for w in item.warnings %}{{ w }} {% endfor %}">{% translate "provisional" %}</span>{% endif %}
</span>{% endif %}"""

LATE_EVENING = datetime.datetime(2023, 9, 30, 23, 30, tzinfo=datetime.UTC)  # 1 October in China
PAST = timezone.now() - datetime.timedelta(days=3)
FUTURE = timezone.now() + datetime.timedelta(days=3)


def item(**fields: object) -> TrackedItem:
    defaults = {"status": TrackedStatus.OPEN, "due_at": FUTURE, "provisional": False, "warnings": []}
    return TrackedItem(**{**defaults, **fields})


CASES = {
    "open": item(),
    "open, due in UTC the day before": item(due_at=LATE_EVENING.replace(year=2999)),
    "overdue": item(due_at=PAST),
    "paused": item(status=TrackedStatus.PAUSED, due_at=PAST, pause_reason='等待会员补充材料 <b>"急"</b>'),
    "done on time": item(status=TrackedStatus.DONE, due_at=LATE_EVENING, on_time=True),
    "done late": item(status=TrackedStatus.DONE, due_at=LATE_EVENING, on_time=False),
    "cancelled": item(status=TrackedStatus.CANCELLED),
    "provisional": item(provisional=True, warnings=["2027 年日历未发布", "<i>&</i>"]),
    "none": None,
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_tag_writes_what_the_template_wrote(case: str, language: str) -> None:
    context = {"item": CASES[case]}
    with translation.override(language), timezone.override(CHINA_TZ):
        expected = Template(REFERENCE).render(Context(context))
        actual = Template("{% load tracking_tags %}{% deadline item %}").render(Context(context))
        included = Template('{% include "tracking/_deadline.html" %}').render(Context(context))
    assert parse_html(actual) == parse_html(expected)
    assert parse_html(included) == parse_html(expected)
    if CASES[case] is not None and language == "zh-hans":
        assert "截止" in actual or "已取消" in actual
