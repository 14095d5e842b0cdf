"""The permission rules persona by persona, for a visit of company A."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "public_user",
    "member_a_admin",
    "member_a_contact",
    "member_b_admin",
    "partner_user",
    "regulator",
    "dept_staff",
    "msc_user",
    "coordinator",
]
STAFF = {"dept_staff", "msc_user", "coordinator"}
A_USERS = {"member_a_admin", "member_a_contact"}
EXPECTED = {
    "visits.view_visit_list": STAFF | A_USERS | {"member_b_admin", "partner_user"},
    "visits.view_visit": STAFF | A_USERS,
    "visits.add_visit_request": A_USERS | {"member_b_admin", "partner_user"},
    "visits.register_letter": STAFF,
    "visits.arrange_visit": {"coordinator"},
    "visits.hold_visit": {"coordinator"},
    "visits.respond_visit": A_USERS,
    "visits.cancel_visit": A_USERS | {"coordinator"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permission_matrix(request, official_calendar, make_visit, persona, perm):
    visit = make_visit()
    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    assert user.has_perm(perm, visit) is (persona in EXPECTED[perm])
