"""The one service-level permission check (``huifu.core.permissions.require``) and the system
actor: work done by the system runs as a named user, never as ``actor=None``."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import RequestFactory

from huifu.accounts.models import User, UserKind
from huifu.accounts.selectors import user_list
from huifu.accounts.system import SYSTEM_EMAIL, is_system_actor, system_actor
from huifu.audit.models import AuditAction, AuditEvent
from huifu.core.permissions import require

pytestmark = pytest.mark.django_db


# --- the helper ---------------------------------------------------------------------------------


def test_require_lets_the_system_actor_through():
    require(system_actor(), "settlements.approve_settlement")
    require(system_actor(), "directory.import_directory")


def test_require_refuses_none_with_a_clear_message():
    with pytest.raises(PermissionDenied, match="system_actor"):
        require(None, "notices.add_notice")


def test_require_refuses_a_user_without_the_permission(member_a_admin):
    with pytest.raises(PermissionDenied):
        require(member_a_admin, "directory.import_directory")


def test_require_allows_a_user_with_the_permission(coordinator):
    require(coordinator, "directory.import_directory")


def test_require_uses_the_callers_message(member_a_admin):
    with pytest.raises(PermissionDenied, match="only the coordinator"):
        require(member_a_admin, "directory.import_directory", message="only the coordinator")


# --- the system actor -----------------------------------------------------------------------------


def test_the_system_actor_is_a_migrated_user_that_cannot_log_in():
    user = User.objects.get(email=SYSTEM_EMAIL)  # created by accounts.0003_system_actor
    assert user == system_actor()
    assert user.kind == UserKind.SYSTEM and is_system_actor(user)
    assert not user.is_active and not user.has_usable_password()
    assert user.organisation_id is None and user.department_id is None
    for password in ("", "!"):
        assert authenticate(RequestFactory().post("/accounts/login/"), username=SYSTEM_EMAIL, password=password) is None


def test_an_ordinary_user_is_not_the_system_actor(coordinator):
    assert not is_system_actor(coordinator)
    assert not is_system_actor(None)


def test_the_system_actor_is_not_listed_among_manageable_users(coordinator):
    assert system_actor() not in user_list(actor=coordinator)


def test_create_token_command_is_audited_as_the_system_actor(coordinator, capsys):
    call_command("create_token", coordinator.email, "--name", "ci")
    event = AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED).latest("pk")
    assert event.actor == system_actor()


# --- services refuse actor=None (each of these let it through before) -----------------------------


def test_hotline_refuses_actor_none():
    from huifu.hotline.services import hotline_setting_record

    with pytest.raises(PermissionDenied):
        hotline_setting_record(actor=None, number="021-68400000", effective_from=datetime.date(2026, 1, 1))


def test_notices_refuse_actor_none():
    from huifu.notices.services import notice_create_draft

    with pytest.raises(PermissionDenied):
        notice_create_draft(actor=None, title="通知", body="正文")


def test_activities_refuse_actor_none():
    from huifu.activities.services import type_save

    with pytest.raises(PermissionDenied):
        type_save(actor=None, year=2026)


def test_feedback_refuses_actor_none(org_a):
    from huifu.servicedesk.services import feedback_submit

    with pytest.raises(PermissionDenied):
        feedback_submit(
            organisation=org_a,
            actor=None,
            contact_name="张三",
            phone="021-1",
            email="a@example.com",
            form_date=datetime.date(2026, 1, 5),
            suggestions=["建议"],
            help_requests=[],
        )


def test_products_refuse_actor_none():
    from huifu.products.models import Product
    from huifu.products.services import product_update

    with pytest.raises(PermissionDenied):
        product_update(actor=None, product=Product.objects.first(), name_en="Copper")


def test_the_system_actor_passes_a_service_check():
    from huifu.hotline.services import hotline_setting_record

    setting = hotline_setting_record(
        actor=system_actor(), number="021-68400000", effective_from=datetime.date(2026, 1, 1)
    )
    assert setting.pk is not None
