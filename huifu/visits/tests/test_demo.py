"""The demo seeder runs through the real services and is idempotent."""

from __future__ import annotations

import pytest

from huifu.visits import demo
from huifu.visits.models import VisitRequest, VisitStatus

pytestmark = pytest.mark.django_db


def test_seed_creates_visits_in_several_states_once(
    official_calendar, member_a_admin, partner_user, coordinator, msc_user, dept_staff
):
    demo.seed(scale=1)
    count = VisitRequest.objects.count()
    assert count == 5
    states = set(VisitRequest.objects.values_list("status", flat=True))
    assert {VisitStatus.REQUESTED, VisitStatus.CONFIRMED, VisitStatus.CHANGE_REQUESTED} <= states
    demo.seed(scale=1)
    assert VisitRequest.objects.count() == count
