"""In real Chromium, in Chinese: member company A applies with a team (the admin saves, submits
and confirms it — the seal), two judges score — the business-department judge who worked for the
company until last year is recused and sees nothing — the results are published and the member
reads its certificate. Screenshots at 1366x900 and 390x844 go to screenshots/."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.selections import services
from huifu.selections.models import Application, ApplicationState, PhaseKind, Score

from .conftest import move_to

pytestmark = pytest.mark.browser


def test_member_applies_judges_score_member_reads_certificate(
    chromium_available,
    live_server,
    selection,
    team_category,
    manager,
    judge_staff,
    judge_expert,
    judge_chair,
    member_a_admin,
    org_a,
    password,
):
    services.panel_member_add(actor=manager, category=team_category, user=judge_chair, role="chair")
    services.panel_member_add(actor=manager, category=team_category, user=judge_staff)
    services.panel_member_add(actor=manager, category=team_category, user=judge_expert)
    services.judge_employment_add(
        actor=manager,
        user=judge_staff,
        organisation=org_a,
        started_on=datetime.date(2017, 1, 1),
        ended_on=timezone.localdate() - datetime.timedelta(days=200),
    )
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        page.goto(f"{live_server.url}/selections/")
        page.get_by_test_id("apply-team").click()
        page.fill("input[name=team_name]", "甲期货黑色金属研究团队")
        page.fill("textarea[name=summary]", "为钢厂和贸易商设计套期保值方案，全年开展产业调研二十余次。")
        page.fill("input[name=members-0-full_name]", "陈明")
        page.fill("input[name=members-0-certificate_no]", "Z0015321")
        page.check("input[name=members-0-is_leader]")
        page.fill("input[name=members-1-full_name]", "陈明")
        page.fill("input[name=members-1-certificate_no]", "12345")
        page.get_by_test_id("save-application").click()
        page.wait_for_selector("text=不是从业资格证书编号")  # bad input: named, nothing saved
        assert not Application.objects.exists()
        screenshot(page, "selections-apply-error-1366")
        page.fill("input[name=members-1-full_name]", "林晓")
        page.fill("input[name=members-1-certificate_no]", "Z0016876")
        page.get_by_test_id("save-application").click()
        page.wait_for_selector("text=申报已保存为草稿")
        page.get_by_test_id("submit-application").click()
        page.wait_for_selector("text=待本单位管理员确认")
        page.get_by_test_id("confirm-application").click()
        page.wait_for_selector("text=已代表本单位确认")
        screenshot(page, "selections-application-confirmed-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        screenshot(page, "selections-application-confirmed-390")
    application = Application.objects.get()
    assert application.state == ApplicationState.CONFIRMED and application.confirmed_by == member_a_admin

    move_to(selection, PhaseKind.SCORING)
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, judge_expert.email, password)
        page.goto(f"{live_server.url}/selections/judging/")
        page.get_by_role("link", name="甲期货黑色金属研究团队").click()
        page.fill("input[name=research]", "101")
        page.fill("input[name=service]", "88")
        page.get_by_role("button", name="保存评分").click()
        page.wait_for_selector("text=超出范围")
        assert not Score.objects.exists()
        page.fill("input[name=research]", "92")
        page.fill("input[name=service]", "88")
        page.get_by_role("button", name="保存评分").click()
        page.wait_for_selector("text=评分已保存")
        screenshot(page, "selections-judge-scored-1366")
    secret = ensure_totp(judge_staff)
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, judge_staff.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{live_server.url}/selections/judging/")
        page.wait_for_selector("[data-testid=empty-state]")
        assert "甲期货黑色金属研究团队" not in page.content()
        screenshot(page, "selections-recused-judge-empty-1366")
        response = page.goto(f"{live_server.url}/selections/applications/{application.pk}/")
        assert response.status == 404
    services.scores_submit(actor=judge_chair, application_id=application.pk, values={"research": 90, "service": 86})
    assert not Score.objects.filter(judge__user=judge_staff).exists()

    team_category.quota_rounding = "ceil"
    team_category.save()
    move_to(selection, PhaseKind.REVIEW)
    run = services.results_compute(actor=manager, category=team_category)
    services.results_review(actor=manager, run=run)
    move_to(selection, PhaseKind.PUBLICATION)
    services.results_publish(actor=manager, run=run)

    with open_browser(width=390, height=844) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        page.goto(f"{live_server.url}/selections/applications/{application.pk}/")
        page.wait_for_selector("[data-testid=result]")
        assert "89.000" in page.content() or "89" in page.get_by_test_id("total").inner_text()
        screenshot(page, "selections-member-result-390")
        with page.expect_download() as download:
            page.get_by_test_id("certificate").click(modifiers=["Alt"])
        assert Path(download.value.path()).read_bytes()[:4] == b"%PDF"
