"""The permission rules themselves, persona by persona (the pages and API are tested separately)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "public_user",
    "member_a_admin",
    "member_b_contact",
    "partner_user",
    "regulator",
    "dept_staff",
    "dept_head",
    "finance_user",
    "coordinator",
]

# perm -> personas that hold it, for a draft written by dept_staff (business department).
EXPECTED = {
    "notices.view_notice_list": set(PERSONAS) - {"anonymous"},
    "notices.manage_notices": {"dept_staff", "dept_head", "finance_user", "coordinator"},
    "notices.add_notice": {"dept_staff", "dept_head", "finance_user", "coordinator"},
    "notices.view_read_status": {"dept_staff", "dept_head", "finance_user", "coordinator"},
    "notices.change_notice": {"dept_staff", "dept_head", "coordinator"},
    "notices.publish_notice": {"dept_head", "coordinator"},
    "notices.withdraw_notice": {"dept_head", "coordinator"},
}


@pytest.fixture
def draft_by_business(make_notice, dept_staff):
    return make_notice(publish=False, actor=dept_staff)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permission_matrix(request, persona, perm, draft_by_business):
    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    assert user.has_perm(perm, draft_by_business) is (persona in EXPECTED[perm])


def test_drafter_in_another_department_may_still_edit_own_draft(make_notice, dept_staff, finance_user):
    notice = make_notice(publish=False, actor=finance_user, department=dept_staff.department)
    assert finance_user.has_perm("notices.change_notice", notice)
    assert dept_staff.has_perm("notices.change_notice", notice)
    assert not finance_user.has_perm("notices.publish_notice", notice)
