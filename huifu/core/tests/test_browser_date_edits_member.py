"""In real Chromium, in Chinese: a member company's edit forms keep the record's dates (issue 10,
point 9) — the activity application and the deepening plan. Company A's administrator logs in
once and goes through every case; the staff forms are in test_browser_date_edits.py, which
explains the cases."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from huifu.activities.models import Activity
from huifu.activities.tests.conftest import forum_type, make_activity  # noqa: F401 — fixtures
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.core.tests.test_browser_date_edits import DATED_FORM, Case, as_input
from huifu.deepening.models import DeepeningPlan
from huifu.deepening.tests.conftest import make_plan, make_profile  # noqa: F401 — fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def member_cases(member_a_admin, make_activity, make_plan) -> list[Case]:  # noqa: F811
    activity = make_activity(
        member_a_admin, submit=False, starts_on=datetime.date(2026, 12, 18), ends_on=datetime.date(2026, 12, 19)
    )
    plan = make_plan()
    return [
        Case(
            "activity application",
            reverse("activities:edit", args=[activity.pk]),
            {"starts_on": activity.starts_on, "ends_on": activity.ends_on},
            lambda: {name: getattr(Activity.objects.get(pk=activity.pk), name) for name in ("starts_on", "ends_on")},
        ),
        Case(
            "deepening plan",
            reverse("deepening:plan_edit", args=[plan.pk]),
            {"period_start": plan.period_start, "period_end": plan.period_end},
            lambda: {
                name: getattr(DeepeningPlan.objects.get(pk=plan.pk), name) for name in ("period_start", "period_end")
            },
        ),
    ]


def test_a_member_editing_a_saved_record_in_chinese_keeps_its_dates(
    chromium_available, live_server, member_a_admin, password, member_cases
):
    shown: dict[str, dict[str, str]] = {}
    after_submit: dict[str, str] = {}
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        for case in member_cases:
            page.goto(live_server.url + case.url)
            shown[case.name] = {
                name: page.locator(f"{DATED_FORM} input[name={name}]").input_value() for name in case.dates
            }
            screenshot(page, f"date-edit-{case.name.replace(' ', '-')}")
            page.locator(case.submit).first.click()
            page.wait_for_load_state("networkidle")
            after_submit[case.name] = page.url
    problems: list[Any] = []
    for case in member_cases:
        expected = {name: as_input(day) for name, day in case.dates.items()}
        if shown[case.name] != expected:
            problems.append((case.name, "shown", shown[case.name], expected))
        if case.url in after_submit[case.name]:
            problems.append((case.name, "the form came back", after_submit[case.name]))
        if case.reload() != case.dates:
            problems.append((case.name, "saved", case.reload(), case.dates))
    assert not problems, problems
