"""The menu asks ``rules`` alone, and answers what ``user.has_perm`` answers, without queries
for Django's model permissions (issue #9)."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huifu.accounts.models import User
from huifu.core.navigation import NAV_ITEMS, navigation_for

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coordinator",
    "dept_staff",
    "finance_user",
    "msc_user",
    "member_a_admin",
    "member_a_contact",
    "partner_user",
    "regulator",
    "public_user",
]


def test_every_menu_permission_is_a_rule_and_no_model_permission() -> None:
    model_permissions = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert model_permissions  # the table is filled: the check below can fail
    for item in NAV_ITEMS:
        if item.permission is not None:
            assert rules.perm_exists(item.permission), item.permission
            assert item.permission not in model_permissions, item.permission


def _urls(user: User) -> list[str]:
    entries = navigation_for(user)
    return [e["url"] for e in entries if "url" in e] + [c["url"] for e in entries for c in e.get("children", [])]


@pytest.mark.parametrize("persona", PERSONAS)
def test_menu_agrees_with_has_perm_and_reads_no_model_permissions(persona: str, request) -> None:
    from django.urls import NoReverseMatch, reverse

    user = User.objects.get(pk=request.getfixturevalue(persona).pk)  # fresh: no cached permissions
    expected = []
    for item in NAV_ITEMS:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        if item.permission is None or User.objects.get(pk=user.pk).has_perm(item.permission):
            expected.append(url)
    with CaptureQueriesContext(connection) as ctx:
        shown = _urls(user)
    assert sorted(shown) == sorted(expected)
    assert not [q for q in ctx.captured_queries if "auth_permission" in q["sql"]]


def test_superuser_sees_every_entry(coordinator) -> None:
    from django.urls import NoReverseMatch, reverse

    coordinator.is_superuser = True
    coordinator.save(update_fields=["is_superuser"])
    every = []
    for item in NAV_ITEMS:
        try:
            every.append(reverse(item.url_name))
        except NoReverseMatch:
            continue
    assert sorted(_urls(User.objects.get(pk=coordinator.pk))) == sorted(every)
