"""The holder's home card and the staff search by number: the same selectors as the list."""

from __future__ import annotations

import pytest

from huifu.certificates import services
from huifu.certificates.home_cards import certificates_card
from huifu.search.registry import search_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(coordinator, attended, practitioner):
    return services.certificate_issue_attendance(
        actor=coordinator, session=attended["onsite"], person=practitioner
    ).certificate


def test_home_card_for_holders_only(cert, practitioner, practitioner_b):
    card = certificates_card(practitioner)
    assert card is not None and card.rows[0].count in (1, "1")
    assert cert.number in str(card.entries[0].title)
    assert certificates_card(practitioner_b) is None


def test_search_by_number_for_staff_only(cert, dept_staff, practitioner, member_a_admin):
    from huifu.certificates.search_provider import find

    found = find(user=dept_staff, text=cert.number, limit=5)
    assert [h.url for h in found.hits] == [cert.get_absolute_url()]

    def keys(user):
        return [g.provider.key for g in search_all(user=user, text=cert.number)]

    assert "certificates" in keys(dept_staff)
    assert "certificates" not in keys(practitioner) and "certificates" not in keys(member_a_admin)
