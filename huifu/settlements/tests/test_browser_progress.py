"""In real Chromium, in Chinese: a computed settlement run shows its stepper (草稿 → 已计算 → 已复核 →
已审批) and Finance's next step, 复核通过, as the primary button. Screenshots at 1366×900 and
390×844 into /work/notes/shots/steppers/ when that folder exists."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser
from huifu.settlements import services

from .conftest import TIERS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("trading_calendar_data")]
SHOTS = Path("/work/notes/shots/steppers")
D = datetime.date


def test_settlement_stepper_in_chinese(
    chromium_available, live_server, make_project, accept, add_stats, org_a, dept_staff, finance_user, password
):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    accept(project, org_a, ["ss"])
    add_stats(org_a, "ss", [D(2024, 3, 4)], volume=100)
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    run = services.settlement_compute(run=run, actor=dept_staff)
    secret = ensure_totp(finance_user)
    url = live_server.url + reverse("settlements:run_detail", args=[run.pk])
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, finance_user.email, password, totp_code=lambda: current_code(secret))
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url)
            assert page.get_by_test_id("stepper-status").inner_text().strip() == "已计算"
            assert page.get_by_test_id("next-action").inner_text().strip() == "复核通过"
            assert page.get_by_role("button", name="复核通过").count() == 1  # once, as the primary
            if SHOTS.is_dir():
                page.screenshot(path=str(SHOTS / f"settlement-{width}.png"), full_page=True)
