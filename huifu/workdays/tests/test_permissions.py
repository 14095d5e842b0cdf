"""Permission matrix of the calendar pages: every page × every persona, allowed and denied."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from huifu.audit.models import AuditEvent
from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.workdays.models import CalendarYear, SpecialDay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]

EVERY_LOGGED_IN = [
    "public_user",
    "member_a_admin",
    "member_b_contact",
    "partner_user",
    "regulator",
    "dept_staff",
    "finance_user",
    "coordinator",
]
EDITORS = ["coordinator"]
NOT_EDITORS = [
    "public_user",
    "member_a_admin",
    "member_b_contact",
    "partner_user",
    "regulator",
    "dept_staff",
    "dept_head",
    "finance_user",
    "msc_user",
]

VIEW_PAGES = [
    ("workdays:calendar", []),
    ("workdays:year", [2023]),
    ("workdays:year", [2030]),
    ("workdays:calculator", []),
]
EDIT_GETS = [
    ("workdays:special_day_add", []),
    ("workdays:special_day_edit", ["2023-10-07"]),
    ("workdays:special_day_remove", ["2023-10-07"]),
    ("workdays:year_publish", [2030]),
    ("workdays:year_import", [2023]),
]
EDIT_POSTS = [
    ("workdays:special_day_add", [], {"day": "2030-10-01", "kind": "holiday", "holiday": "national_day"}),
    ("workdays:special_day_edit", ["2023-10-06"], {"kind": "holiday", "holiday": "mid_autumn_festival"}),
    ("workdays:special_day_remove", ["2023-10-07"], {}),
    ("workdays:year_publish", [2030], {"source": "国办发明电〔2029〕1号"}),
    ("workdays:year_unpublish", [2023], {}),
    ("workdays:year_import", [2023], {}),
]


def _state():
    return (
        list(SpecialDay.objects.order_by("day").values_list("day", "kind", "holiday", "note")),
        list(CalendarYear.objects.order_by("year").values_list("year", "status", "source", "revision")),
        _calendar_audit_count(),
    )


def _calendar_audit_count():
    """Audit entries about the calendar (logging in writes its own entries, not counted here)."""
    types = ContentType.objects.get_for_models(SpecialDay, CalendarYear).values()
    return AuditEvent.objects.filter(target_type__in=types).count()


@pytest.mark.parametrize(("name", "args"), VIEW_PAGES + EDIT_GETS)
def test_anonymous_is_sent_to_login(client, name, args):
    assert_denied(client, None, reverse(name, args=args))


@pytest.mark.parametrize("persona", EVERY_LOGGED_IN)
@pytest.mark.parametrize(("name", "args"), VIEW_PAGES)
def test_every_logged_in_user_may_view(client, request, persona, name, args):
    assert_allowed(client, request.getfixturevalue(persona), reverse(name, args=args))


def test_inactive_user_may_not_view(client, member_a_contact):
    member_a_contact.is_active = False
    member_a_contact.save()
    response = client.get(reverse("workdays:calendar"))
    assert response.status_code == 302


@pytest.mark.parametrize("persona", NOT_EDITORS)
@pytest.mark.parametrize(("name", "args"), EDIT_GETS)
def test_only_coordinators_see_edit_pages(client, request, persona, name, args):
    assert_denied(client, request.getfixturevalue(persona), reverse(name, args=args), codes=(403,))


@pytest.mark.parametrize("persona", EDITORS)
@pytest.mark.parametrize(("name", "args"), EDIT_GETS)
def test_coordinator_sees_edit_pages(client, request, persona, name, args):
    assert_allowed(client, request.getfixturevalue(persona), reverse(name, args=args))


@pytest.mark.parametrize("persona", [None, *NOT_EDITORS])
@pytest.mark.parametrize(("name", "args", "data"), EDIT_POSTS)
def test_denied_writes_change_nothing(client, request, persona, name, args, data):
    user = request.getfixturevalue(persona) if persona else None
    before = _state()
    assert_denied(client, user, reverse(name, args=args), method="post", data=data, codes=(403,))
    assert _state() == before


@pytest.mark.parametrize(("name", "args", "data"), EDIT_POSTS)
def test_coordinator_writes_change_the_calendar(client, coordinator, name, args, data):
    before = _state()
    response = assert_allowed(client, coordinator, reverse(name, args=args), method="post", data=data, ok=(302,))
    assert response["Location"].startswith("/calendar/")
    assert _state() != before
    assert _calendar_audit_count() == before[2] + 1


def test_edit_links_only_for_coordinators(client, coordinator, member_a_admin):
    url = reverse("workdays:year", args=[2023])
    edit_url = reverse("workdays:special_day_edit", args=["2023-10-07"])
    assert edit_url in assert_allowed(client, coordinator, url).content.decode()
    assert edit_url not in assert_allowed(client, member_a_admin, url).content.decode()


def test_navigation_shows_the_calendar_to_members(client, member_a_contact):
    response = assert_allowed(client, member_a_contact, reverse("core:home"))
    assert f'href="{reverse("workdays:calendar")}"' in response.content.decode()
    assert member_a_contact.has_perm("workdays.view_calendar")
    assert not member_a_contact.has_perm("workdays.change_calendar")


def test_unused_date_is_kept():
    # The fixture data the matrix relies on.
    assert SpecialDay.objects.filter(day=dt.date(2023, 10, 7), kind="makeup_workday").exists()
    assert not SpecialDay.objects.filter(day=dt.date(2030, 10, 1)).exists()
