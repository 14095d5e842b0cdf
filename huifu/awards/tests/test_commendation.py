"""The commendation layer used by every award: winners with gapless yearly certificate numbers,
quotas, a notice, revocation that keeps the history; INE-only permissions both ways."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from huifu.awards.models import Winner, WinnerState
from huifu.awards.services import AwardsError, CategorySpec, WinnerSpec, edition_create, winner_revoke, winners_publish
from huifu.notices.models import Notice


@pytest.fixture
def ine_edition(ine_user, ine_award):
    return edition_create(
        actor=ine_user,
        programme=ine_award,
        year=2024,
        title_zh="2024年度境外经纪机构突出市场贡献奖",
        title_en="2024 Overseas Broker Outstanding Market Contribution Award",
        categories=[CategorySpec("outstanding", "突出市场贡献奖", "Outstanding Contribution", 2)],
    )


def test_winners_get_gapless_numbers_and_an_english_first_notice(ine_user, ine_edition, broker_a):
    winners = winners_publish(
        actor=ine_user,
        edition=ine_edition,
        winners=[
            WinnerSpec("outstanding", broker_a, "环球经纪（香港）有限公司", "Globe Brokers (HK) Ltd", source="x:1"),
        ],
    )
    more = winners_publish(
        actor=ine_user,
        edition=ine_edition,
        winners=[
            WinnerSpec("outstanding", broker_a, "环球经纪（新加坡）", "Globe Brokers (SG)", source="x:2"),
        ],
        notify=False,
    )
    serials = [winners[0].serial, more[0].serial]
    assert serials[1] == serials[0] + 1
    notice = Notice.objects.get(pk=ine_edition.__class__.objects.get(pk=ine_edition.pk).notice_id)
    assert notice.body.index("Globe Brokers (HK) Ltd") < notice.body.index("环球经纪（香港）有限公司")
    assert notice.audience_org_kinds == ["overseas_broker"]
    with pytest.raises(AwardsError) as exc:
        winners_publish(
            actor=ine_user, edition=ine_edition, winners=[WinnerSpec("outstanding", broker_a, "第三家", source="x:3")]
        )
    assert exc.value.code == "quota"


def test_ine_award_is_run_by_ine_alone(coordinator, dept_staff, ine_user, ine_edition, broker_a, rating):
    spec = [WinnerSpec("outstanding", broker_a, "环球经纪", source="x:9")]
    for other in (coordinator, dept_staff):
        with pytest.raises(PermissionDenied):
            winners_publish(actor=other, edition=ine_edition, winners=spec)
    assert not Winner.objects.exists()
    with pytest.raises(PermissionDenied):
        edition_create(
            actor=ine_user,
            programme=rating,
            year=2024,
            title_zh="x",
            title_en="x",
            categories=[CategorySpec("a", "a", "a", 1)],
        )
    assert winners_publish(actor=ine_user, edition=ine_edition, winners=spec)


def test_revocation_keeps_the_history(ine_user, coordinator, ine_edition, broker_a):
    [winner] = winners_publish(
        actor=ine_user, edition=ine_edition, winners=[WinnerSpec("outstanding", broker_a, "环球经纪", source="x:1")]
    )
    with pytest.raises(PermissionDenied):
        winner_revoke(actor=coordinator, winner=winner, reason="x")
    with pytest.raises(AwardsError):
        winner_revoke(actor=ine_user, winner=winner, reason="")
    winner_revoke(actor=ine_user, winner=winner, reason="2025年受到监管处罚")
    winner.refresh_from_db()
    assert winner.state == WinnerState.REVOKED and winner.number and winner.revocation_reason
    with pytest.raises(AwardsError):
        winner_revoke(actor=ine_user, winner=winner, reason="again")


def test_ine_pages_put_english_first(client, ine_user, ine_edition, broker_a):
    from django.urls import reverse

    from huifu.core.testing.access import fetch

    winners_publish(
        actor=ine_user,
        edition=ine_edition,
        winners=[
            WinnerSpec("outstanding", broker_a, "环球经纪（香港）有限公司", "Globe Brokers (HK) Ltd", source="x:1")
        ],
    )
    for url in (reverse("awards_public:index"), ine_edition.get_absolute_url()):
        page = fetch(client, ine_user if "public" not in url else None, url).content.decode()
        assert page.index("2024 Overseas Broker Outstanding Market Contribution Award") < page.index(
            "2024年度境外经纪机构突出市场贡献奖"
        )
        assert page.index("Globe Brokers (HK) Ltd") < page.index("环球经纪（香港）有限公司")
