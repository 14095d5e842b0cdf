"""In real Chromium, in Chinese: a university applies for a research project with a topic,
the exchange approves it (service call outside the browser) and the university reads its
application in tracking — at 1366 and at phone width (390). Screenshots: research-*.png."""

from __future__ import annotations

import pytest

from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.incentives import services
from huifu.incentives.models import Participation

from .test_research import research_project, uni_a, uni_a_user  # noqa: F401

pytestmark = pytest.mark.browser

TOPIC = "铜期货价格发现功能与产业链定价实证研究"


def test_university_applies_for_research(
    chromium_available,
    live_server,
    research_project,  # noqa: F811
    uni_a_user,  # noqa: F811
    dept_staff,
    password,
):
    base = live_server.url
    with open_browser(width=1366, height=900) as page:
        browser_login(page, base, uni_a_user.email, password)
        page.goto(f"{base}/incentives/")
        assert "期货市场课题研究" in page.content()
        page.goto(f"{base}/incentives/projects/{research_project.pk}/")
        screenshot(page, "research-project-1366")
        page.get_by_role("button", name="申请参与本项目").click()
        page.get_by_label("研究课题").fill(TOPIC)
        page.get_by_label("研究方案（方法、进度安排、预期成果）").fill("文献研究与实证分析；4月开题，12月结题。")
        screenshot(page, "research-apply-1366")
        page.get_by_role("button", name="提交").click()
        page.wait_for_selector("#research-topic")
        assert page.locator("#research-topic").inner_text() == TOPIC

    participation = Participation.objects.get()
    services.participation_review(actor=dept_staff, participation=participation, approve=True, comment="同意立项")
    services.participation_report(actor=uni_a_user, participation=participation, text="已完成开题报告。")

    for width, height in ((1366, 900), (390, 844)):
        with open_browser(width=width, height=height) as page:
            browser_login(page, base, uni_a_user.email, password)
            page.goto(f"{base}/incentives/participations/{participation.pk}/")
            page.wait_for_selector("#participation-status")
            assert TOPIC in page.content()
            screenshot(page, f"research-detail-{width}")
