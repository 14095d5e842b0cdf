"""In real Chromium, in Chinese: opening the edit form of a saved record keeps its dates in the
date inputs, and saving it unchanged keeps the saved dates (issue 10, point 9). Django's
zh_Hans formats wrote ``2026/12/03`` into ``<input type="date">``, which the browser drops, so
every edit in Chinese emptied the record's dates.

Each case: the edit URL of a saved record, the date inputs and the dates the record holds, and
how to read them back after saving. The coordinator logs in once (TOTP) and goes through every
case in one browser (a browser run costs minutes on the shared machine). Every form with a date
is also checked without a browser, for both languages, by test_date_inputs_everywhere.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.incentives.models import Project
from huifu.incentives.tests.conftest import make_project, period  # noqa: F401 — fixtures
from huifu.products.models import Product
from huifu.products.testing import catalogue  # noqa: F401 — fixture
from huifu.workdays.testing import official_calendar  # noqa: F401 — fixture

pytestmark = pytest.mark.browser


@dataclass
class Case:
    name: str
    url: str
    dates: dict[str, datetime.date]  # input name -> the saved date
    reload: Callable[[], dict[str, datetime.date]]  # the saved dates after submitting
    submit: str = "form:has(input[type=date]) button[type=submit]"


@pytest.fixture
def cases(catalogue, make_project) -> list[Case]:  # noqa: F811
    product = Product.objects.get(code="cu")
    product.listed_on = datetime.date(1993, 3, 1)
    product.save(update_fields=["listed_on"])
    project = make_project(notice_date=datetime.date(2026, 1, 5))
    return [
        Case(
            "product",
            reverse("products:edit", args=["cu"]),
            {"listed_on": product.listed_on},
            lambda: {"listed_on": Product.objects.get(code="cu").listed_on},
        ),
        Case(
            "incentive project",
            reverse("incentives:project_edit", args=[project.pk]),
            {
                "period_start": project.period_start,
                "period_end": project.period_end,
                "notice_date": project.notice_date,
            },
            lambda: {
                name: getattr(Project.objects.get(pk=project.pk), name)
                for name in ("period_start", "period_end", "notice_date")
            },
        ),
    ]


def test_editing_a_saved_record_in_chinese_keeps_its_dates(
    chromium_available, live_server, coordinator, password, cases
):
    secret = ensure_totp(coordinator)
    shown: dict[str, dict[str, str]] = {}
    after_submit: dict[str, str] = {}
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        for case in cases:
            page.goto(live_server.url + case.url)
            shown[case.name] = {name: page.locator(f"input[name={name}]").input_value() for name in case.dates}
            screenshot(page, f"date-edit-{case.name.replace(' ', '-')}")
            page.locator(case.submit).first.click()
            page.wait_for_load_state("networkidle")
            after_submit[case.name] = page.url
    problems: list[Any] = []
    for case in cases:
        expected = {name: day.isoformat() for name, day in case.dates.items()}
        if shown[case.name] != expected:
            problems.append((case.name, "shown", shown[case.name], expected))
        if case.url in after_submit[case.name]:
            problems.append((case.name, "the form came back", after_submit[case.name]))
        if case.reload() != case.dates:
            problems.append((case.name, "saved", case.reload(), case.dates))
    assert not problems, problems
