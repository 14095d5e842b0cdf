"""In real Chromium, in Chinese, at 1366 px and 390 px: the coordinator invites a member analyst
through the invitation page (the date input in a Chinese browser), the analyst accepts under
"讲座邀请" after logging in, and an expert without an account declines through the e-mail link.
Screenshots go to the test's tmp dir (printed with -s).

ORM calls stay outside the browser blocks (see huifu.core.testing.browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser
from huifu.events import services
from huifu.events.invitation_links import invitation_token
from huifu.events.models import InvitationState, SpeakerInvitation, SpeakerKind
from huifu.workdays.services import add_working_days

pytestmark = pytest.mark.browser
WIDTHS = (1366, 390)


def shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture
def planned(coordinator, org_a, member_a_contact, university):
    today = timezone.localdate()
    reply_by, day = add_working_days(today, 3).date, add_working_days(today, 15).date
    series = services.series_create(actor=coordinator, year=day.year, kind="training", title_zh="2026年会员培训")
    session = services.session_create(
        actor=coordinator,
        series=series,
        co_organisers=[university],
        title="铜期权实务",
        date=day,
        mode="on_site",
        address="上海市浦东新区浦电路500号",
        capacity=50,
        topic_type="new_business",
        audiences=["members_practitioners"],
    )
    session = services.session_publish(actor=coordinator, session=session)
    analyst = services.speaker_create(
        actor=coordinator,
        name="甲分析师",
        kind=SpeakerKind.MEMBER_ANALYST,
        organisation=org_a,
        user=member_a_contact,
        title="有色金属首席分析师",
        topics="铜、铝期权策略",
    )
    expert = services.speaker_create(
        actor=coordinator,
        name="周专家",
        title="研究员",
        organisation_name="有色金属研究院",
        contact_email="zhou@expert.example",
    )
    expert_invitation = services.speaker_invite(
        actor=coordinator, session=session, speaker=expert, reply_by=reply_by, message="请讲铜的供需。"
    )
    return session, analyst, expert_invitation, reply_by


def test_invite_accept_and_decline_in_chinese(
    chromium_available, live_server, tmp_path, coordinator, member_a_contact, password, planned
):
    session, analyst, expert_invitation, reply_by = planned
    secret = ensure_totp(coordinator)
    link = f"{live_server.url}/events/invitation/{invitation_token(expert_invitation)}/"

    with open_browser(width=1366) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{live_server.url}/events/sessions/{session.pk}/invite/")
        assert page.locator("h1").inner_text() == "邀请嘉宾"
        page.select_option("select[name=speaker]", str(analyst.pk))
        page.fill("input[name=reply_by]", reply_by.isoformat())
        page.fill("textarea[name=message]", "请分享期权做市经验。")
        shot(page, tmp_path, "invite-1366")
        page.click("button:has-text('发送邀请')")
        page.wait_for_url(f"**/events/sessions/{session.pk}/")
        assert "已邀请 甲分析师" in page.content()
        shot(page, tmp_path, "session-invitations-1366")
        page.goto(f"{live_server.url}/events/speakers/")
        shot(page, tmp_path, "speaker-pool-1366")
    invitation = SpeakerInvitation.objects.get(speaker=analyst)
    assert invitation.state == InvitationState.PENDING and invitation.reply_by.date() == reply_by

    for width in WIDTHS:
        with open_browser(width=width) as page:
            browser_login(page, live_server.url, member_a_contact.email, password)
            page.goto(f"{live_server.url}/events/invitations/")
            assert "讲座邀请" in page.locator("h1").inner_text() and "铜期权实务" in page.content()
            shot(page, tmp_path, f"my-invitations-{width}")
            if width == WIDTHS[-1]:
                page.fill("textarea[name=note]", "乐意参加")
                page.click("button[name=accept]")
                page.wait_for_selector("text=感谢您接受邀请")
                assert "已接受" in page.content()
                shot(page, tmp_path, f"my-invitations-accepted-{width}")
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED and invitation.reply_note == "乐意参加"
    assert list(session.speakers.all()) == [analyst]

    for width in WIDTHS:
        with open_browser(width=width) as page:
            page.goto(link)
            assert "讲座邀请" in page.locator("h1").inner_text()
            shot(page, tmp_path, f"link-{width}")
            if width == WIDTHS[-1]:
                page.fill("textarea[name=note]", "当天出差")
                page.click("button[name=decline]")
                page.wait_for_selector("text=您已婉拒此次邀请")
                shot(page, tmp_path, f"link-declined-{width}")
                page.goto(link[:-3] + "zz/")
                assert "链接无效" in page.locator("h1").inner_text()
                shot(page, tmp_path, f"link-invalid-{width}")
        with open_browser(width=width) as page:
            page.goto(f"{live_server.url}{analyst.get_public_url()}")
            assert "铜期权实务" in page.content()
            shot(page, tmp_path, f"public-profile-{width}")
    expert_invitation.refresh_from_db()
    assert expert_invitation.state == InvitationState.DECLINED and expert_invitation.reply_note == "当天出差"
    print("screenshots:", tmp_path)
