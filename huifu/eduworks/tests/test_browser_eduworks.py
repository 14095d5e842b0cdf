"""In real Chromium, in Chinese: a member company writes a comic (期货知识漫画) and submits it; the
coordinator (not its author) takes it into review, cannot approve with an unticked checklist,
approves with every item ticked and publishes it; an anonymous visitor finds it on the public
list on a phone; the base dashboard at desk and phone width. Screenshots go to screenshots/."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.eduworks import checklist as _checklist
from huifu.eduworks import services
from huifu.eduworks.models import BaseKind, ReviewCheckItem, Work, WorkState
from huifu.products.models import Product

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(db, coordinator):
    # live_server tests flush the tables the migrations filled: put back what the pages need.
    for code, zh, en, order in _checklist.ITEMS:
        ReviewCheckItem.objects.update_or_create(
            code=code, defaults={"label_zh": zh, "label_en": en, "sort_order": order}
        )
    Product.objects.get_or_create(code="cu", defaults={"name_zh": "铜", "name_en": "Copper", "fee_per_lot": 1})
    month = timezone.localdate().replace(day=1)
    for back in range(3):
        m = month
        for _ in range(back):
            m = (m - datetime.timedelta(days=1)).replace(day=1)
        services.base_figure_record(
            actor=coordinator,
            month=m,
            base=BaseKind.PHYSICAL,
            visitors=400 + back * 20,
            visits=450,
            surveyed=100,
            satisfied=93,
        )
        services.base_figure_record(
            actor=coordinator, month=m, base=BaseKind.ONLINE, visitors=15000, visits=22000, surveyed=300, satisfied=270
        )


def test_member_writes_staff_reviews_and_publishes(
    chromium_available, live_server, seeded, member_a_admin, coordinator, password
):
    secret = ensure_totp(coordinator)
    copper = Product.objects.get(code="cu")
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        page.goto(f"{live_server.url}/eduworks/new/")
        page.select_option("select[name=kind]", "comic")
        page.fill("input[name=title]", "期货知识漫画：小铜的套保之旅")
        page.fill("textarea[name=summary]", "十二格漫画讲清楚什么是套期保值、基差风险从哪里来。")
        page.select_option("select[name=products]", str(copper.pk))
        page.check("input[name=audiences][value=individual]")
        page.fill("input[name=rights_owner]", "甲期货有限公司")
        page.check("input[name=third_party_cleared]")
        page.get_by_role("button", name="保存草稿").click()
        page.wait_for_selector("text=草稿已保存")
        # submitting without an author says why
        page.get_by_test_id("submit-work").click()
        page.wait_for_selector("[data-testid=submit-errors]")
        page.get_by_text("添加作者", exact=True).first.click()
        page.select_option("#authors select[name=kind]", "member")
        page.fill("#authors input[name=name]", "陈分析")
        page.fill("#authors input[name=affiliation]", "甲期货研究所")
        page.locator("#authors button[type=submit]").last.click()
        page.wait_for_selector("text=作者已添加")
        page.get_by_test_id("submit-work").click()
        page.wait_for_selector("text=已提交合规审核")
        screenshot(page, "eduworks-member-submitted-1366")
    work = Work.objects.get(title="期货知识漫画：小铜的套保之旅")
    assert work.state == WorkState.SUBMITTED and work.organisation == member_a_admin.organisation

    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{live_server.url}/eduworks/?waiting=my_review")
        page.get_by_role("link", name="期货知识漫画：小铜的套保之旅").click()
        page.get_by_test_id("start-review").click()
        page.wait_for_selector("#decide")
        page.check("input[name=decision][value=approve]")
        page.check("input[name=ticked][value=accurate]")
        page.get_by_test_id("decide").click()
        page.wait_for_selector("text=审核通过须勾选清单全部事项")
        screenshot(page, "eduworks-review-refused-1366")
        page.check("input[name=decision][value=approve]")
        for box in page.locator("input[name=ticked]").all():
            box.check()
        page.get_by_test_id("decide").click()
        page.wait_for_selector("text=审核结论已记录")
        page.select_option("#publish select[name=channel]", "wechat")
        page.get_by_test_id("publish").click()
        page.wait_for_selector("text=作品已发布")
        screenshot(page, "eduworks-published-1366")
        page.goto(f"{live_server.url}/eduworks/base/")
        page.wait_for_selector("[data-testid=as-of]")
        screenshot(page, "eduworks-dashboard-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/eduworks/base/")
        screenshot(page, "eduworks-dashboard-390")
    work.refresh_from_db()
    assert work.state == WorkState.PUBLISHED and work.reviewer == coordinator

    with open_browser(width=390, height=844) as page:
        page.goto(f"{live_server.url}/public/works/")
        page.get_by_role("link", name="期货知识漫画：小铜的套保之旅").click()
        page.wait_for_selector("text=投资有风险")
        screenshot(page, "eduworks-public-detail-390")
        page.goto(f"{live_server.url}/public/works/")
        screenshot(page, "eduworks-public-list-390")
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{live_server.url}/public/works/")
        screenshot(page, "eduworks-public-list-1366")
