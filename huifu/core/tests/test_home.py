"""The home page ("my work"): each role sees its own cards and counts, scoped like the lists;
company A never sees company B's; the query count does not grow with the records."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed

HOME = "/"

ROLES = [
    "member_a_admin",
    "member_a_contact",
    "coordinator",
    "dept_staff",
    "finance_user",
    "partner_user",
    "regulator",
    "public_user",
]


def _cards(response) -> dict[str, object]:
    return {rc.key: rc.content for rc in response.context["cards"]}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_a_home_without_a_failing_card(client, request, role, caplog):
    user = request.getfixturevalue(role)
    with caplog.at_level(logging.ERROR, logger="huifu.core.home"):
        response = assert_allowed(client, user, reverse("core:home"))
    assert not [r for r in caplog.records if r.name == "huifu.core.home"], caplog.text
    print(role, sorted(_cards(response)))
