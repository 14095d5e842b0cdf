"""Windows, grants and partial attendance (``huifu.credits.hours``)."""

import datetime
from decimal import Decimal

import pytest

from huifu.credits import services
from huifu.credits.models import CreditRule

from .helpers import attend_on_site, attend_online, category, evidence, grant, session, total

pytestmark = pytest.mark.django_db


def test_seeded_rule_is_the_2008_rule_and_flagged():
    rule = CreditRule.objects.get(year=2008)
    assert rule.min_hours == Decimal("18") and rule.window_years == 2 and rule.deferral_years == 1
    assert rule.seed_unchecked
    assert {m.category.code: m.min_hours for m in rule.minimums.all()} == {"law_ethics": Decimal("3")}


def test_windows_cross_the_two_year_boundary(practitioner_a):
    window = services.current_window(practitioner_a, on=datetime.date(2025, 12, 31))
    assert (window.start, window.end) == (datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))
    window = services.current_window(practitioner_a, on=datetime.date(2026, 1, 1))
    assert (window.start, window.end) == (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))


def test_hours_count_in_the_window_of_their_date(coordinator, practitioner_a):
    last_day = session(datetime.date(2025, 12, 31), title="年末合规培训")
    first_day = session(datetime.date(2026, 1, 1), title="新年专业培训")
    grant(coordinator, last_day, law="3")
    grant(coordinator, first_day, professional="4.5")
    attend_on_site(last_day, practitioner_a)
    attend_on_site(first_day, practitioner_a)
    old = services.hours_for(practitioner_a, services.current_window(practitioner_a, on=datetime.date(2025, 6, 1)))
    new = services.hours_for(practitioner_a, services.current_window(practitioner_a, on=datetime.date(2026, 6, 1)))
    assert old.by_category == {category("law_ethics").pk: Decimal("3")}
    assert new.by_category == {category("professional").pk: Decimal("4.5")}
    assert new.short == Decimal("13.5") + Decimal("0") and new.short_by_category == {
        category("law_ethics").pk: Decimal("3")
    }
    assert new.short_total == Decimal("13.5")


def test_deferral_extends_the_window_by_a_year_and_shifts_the_next(coordinator, member_a_admin, practitioner_a):
    late = session(datetime.date(2026, 6, 1), title="延期年度培训")
    grant(coordinator, late, law="3", professional="15")
    attend_on_site(late, practitioner_a)
    assert total(practitioner_a, datetime.date(2025, 6, 1)) == 0
    deferral = services.deferral_request(
        actor=practitioner_a, window_start=datetime.date(2024, 1, 1), reason="2025年长期病假", evidence=evidence()
    )
    services.deferral_decide(actor=member_a_admin, deferral=deferral, approve=True)
    window = services.current_window(practitioner_a, on=datetime.date(2026, 6, 1))
    assert (window.start, window.end, window.deferred) == (datetime.date(2024, 1, 1), datetime.date(2026, 12, 31), True)
    standing = services.hours_for(practitioner_a, window)
    assert standing.total == Decimal("18") and standing.met
    following = services.current_window(practitioner_a, on=datetime.date(2027, 1, 1))
    assert (following.start, following.end) == (datetime.date(2027, 1, 1), datetime.date(2028, 12, 31))


def test_online_threshold_full_hours_at_the_rule_none_below(coordinator, practitioner_a, member_a_contact):
    online = session(datetime.date(2026, 3, 19), title="线上法规培训", mode="online")
    grant(coordinator, online, law="3.5")
    attend_online(online, practitioner_a, minutes=130, min_percent=60)  # 130/210 = 62 %
    attend_online(online, member_a_contact, minutes=120)  # 57 %: below
    assert total(practitioner_a, online.date) == Decimal("3.5")
    assert total(member_a_contact, online.date) == 0
    assert services.session_hours_for(member_a_contact, online) == {}


def test_online_pro_rata_above_the_rule(coordinator, practitioner_a, member_a_contact):
    online = session(datetime.date(2026, 3, 19), title="线上专业培训", mode="online")
    grant(coordinator, online, professional="3.5", online_mode="pro_rata")
    attend_online(online, practitioner_a, minutes=150, min_percent=60)  # 150/210 of 3.5 h = 2.5 h
    attend_online(online, member_a_contact, minutes=100)  # below 60 %: nothing, even pro rata
    assert services.session_hours_for(practitioner_a, online) == {category("professional"): Decimal("2.5")}
    assert total(member_a_contact, online.date) == 0


def test_no_grant_no_hours_and_cancelled_registration_counts_nothing(coordinator, practitioner_a):
    plain = session(datetime.date(2026, 3, 19))
    attend_on_site(plain, practitioner_a)
    assert total(practitioner_a, plain.date) == 0
    assert services.session_grant(plain) == {}
