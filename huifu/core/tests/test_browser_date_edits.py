"""In real Chromium, in Chinese: opening the edit form of a saved record keeps its dates in the
date inputs, and saving it unchanged keeps the saved dates (issue 10, point 9). Django's
zh_Hans formats wrote ``2026/12/03`` into ``<input type="date">``, which the browser drops, so
every edit in Chinese emptied the record's dates.

Each case: the edit URL of a saved record, the date inputs and the dates the record holds, and
how to read them back after saving. The coordinator logs in once (TOTP) and goes through every
case in one browser (a browser run costs minutes on the shared machine); a member's forms are in
test_browser_date_edits_member.py. Forms that only create a record (a settlement run, a market
closure, a hotline setting) are checked the other way round: a date typed in Chinese is the date
saved. Filter forms (the audit trail, Member Voice reports) keep their dates in the inputs after
filtering. Every form with a date is also checked without a browser, for both languages, by
test_date_inputs_everywhere.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.events.models import Session
from huifu.events.tests.conftest import make_session, talk_series  # noqa: F401 — fixtures
from huifu.incentives.models import Project
from huifu.incentives.tests.conftest import make_project, period  # noqa: F401 — fixtures
from huifu.products.models import Product
from huifu.products.testing import catalogue  # noqa: F401 — fixture
from huifu.visits.models import VisitRequest
from huifu.visits.tests.conftest import arrange, make_visit  # noqa: F401 — fixtures
from huifu.workdays import services as workdays_services
from huifu.workdays.models import HolidayName, SpecialDay, SpecialDayKind
from huifu.workdays.testing import official_calendar  # noqa: F401 — fixture

pytestmark = pytest.mark.browser


Day = datetime.date | datetime.datetime
DATED_FORM = "form:has(input[type=date], input[type=datetime-local])"


@dataclass
class Case:
    name: str
    url: str
    dates: dict[str, Day]  # input name -> the saved date (or local time, for datetime-local)
    reload: Callable[[], dict[str, Day]]  # the saved dates after submitting
    submit: str = f"{DATED_FORM} button[type=submit]"


def as_input(value: Day) -> str:
    """What the browser's date or datetime-local input must hold for a saved value."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def shanghai(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def cases(coordinator, catalogue, make_project, make_session, make_visit, arrange) -> list[Case]:  # noqa: F811
    product = Product.objects.get(code="cu")
    product.listed_on = datetime.date(1993, 3, 1)
    product.save(update_fields=["listed_on"])
    project = make_project(notice_date=datetime.date(2026, 1, 5))
    session = make_session(date=datetime.date(2026, 12, 16), registration_closes_at=shanghai(2026, 12, 14, 17, 30))
    visit = arrange(make_visit(), start=shanghai(2026, 12, 9, 14, 0))
    special = workdays_services.special_day_set(
        day=datetime.date(2027, 1, 1), kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.NEW_YEARS_DAY, actor=coordinator
    )
    return [
        Case(
            "event session",
            reverse("events:session_edit", args=[session.pk]),
            {"date": session.date, "registration_closes_at": session.registration_closes_at},
            lambda: {
                name: getattr(Session.objects.get(pk=session.pk), name) for name in ("date", "registration_closes_at")
            },
        ),
        Case(
            "visit arrangement",
            reverse("visits:arrange", args=[visit.pk]),
            {"starts_at": visit.starts_at, "ends_at": visit.ends_at},
            lambda: {name: getattr(VisitRequest.objects.get(pk=visit.pk), name) for name in ("starts_at", "ends_at")},
        ),
        Case(
            "special day",
            reverse("workdays:special_day_edit", args=[special.day.isoformat()]),
            {"day": special.day},
            lambda: {"day": SpecialDay.objects.get(pk=special.pk).day},
        ),
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


@dataclass
class Typed:
    """A form that creates a record: the date typed in Chinese is the date saved."""

    name: str
    url: str
    fill: dict[str, str]  # input name -> what the user types (dates in ISO, as the browser posts them)
    saved: Callable[[], Any]  # the saved date(s), or None
    expected: Any


@dataclass
class Filter:
    """A filter form: after filtering, the inputs still hold the dates filtered on."""

    name: str
    url: str
    dates: dict[str, str]


TYPED_DAY = datetime.date(2026, 12, 24)


@pytest.fixture
def typed(official_calendar) -> list[Typed]:  # noqa: F811
    from huifu.tradingdata.models import ExchangeClosure

    return [
        Typed(
            "market closure",
            reverse("tradingdata:closures"),
            {"day": TYPED_DAY.isoformat(), "reason": "系统升级，全天休市"},
            lambda: ExchangeClosure.objects.filter(day=TYPED_DAY).values_list("day", flat=True).first(),
            TYPED_DAY,
        ),
    ]


FILTERS = [
    Filter("audit trail", "/audit/", {"date_from": "2026-11-02", "date_to": "2026-12-03"}),
    Filter("member voice reports", "/feedback/reports/", {"start": "2026-01-05", "end": "2026-12-03"}),
]


def test_editing_a_saved_record_in_chinese_keeps_its_dates(
    chromium_available, live_server, coordinator, password, cases, typed
):
    secret = ensure_totp(coordinator)
    shown: dict[str, dict[str, str]] = {}
    after_submit: dict[str, str] = {}
    filtered: dict[str, dict[str, str]] = {}
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        for entry in typed:
            page.goto(live_server.url + entry.url)
            for name, value in entry.fill.items():
                page.locator(f"form:has(input[name={name}]) [name={name}]").first.fill(value)
            page.locator(f"{DATED_FORM} button[type=submit]").first.click()
            page.wait_for_load_state("networkidle")
        for flt in FILTERS:
            page.goto(live_server.url + flt.url)
            for name, value in flt.dates.items():
                page.locator(f"input[name={name}]").fill(value)
            page.locator(f"form:has(input[name={next(iter(flt.dates))}]) button[type=submit]").first.click()
            page.wait_for_load_state("networkidle")
            filtered[flt.name] = {name: page.locator(f"input[name={name}]").input_value() for name in flt.dates}
            screenshot(page, f"date-filter-{flt.name.replace(' ', '-')}")
        for case in cases:
            page.goto(live_server.url + case.url)
            shown[case.name] = {
                name: page.locator(f"{DATED_FORM} input[name={name}]").input_value() for name in case.dates
            }
            screenshot(page, f"date-edit-{case.name.replace(' ', '-')}")
            page.locator(case.submit).first.click()
            page.wait_for_load_state("networkidle")
            after_submit[case.name] = page.url
    problems: list[Any] = []
    for entry in typed:
        if entry.saved() != entry.expected:
            problems.append((entry.name, "typed", entry.saved(), entry.expected))
    for flt in FILTERS:
        if filtered[flt.name] != flt.dates:
            problems.append((flt.name, "filtered", filtered[flt.name], flt.dates))
    for case in cases:
        expected = {name: as_input(day) for name, day in case.dates.items()}
        if shown[case.name] != expected:
            problems.append((case.name, "shown", shown[case.name], expected))
        if case.url in after_submit[case.name]:
            problems.append((case.name, "the form came back", after_submit[case.name]))
        if case.reload() != case.dates:
            problems.append((case.name, "saved", case.reload(), case.dates))
    assert not problems, problems
