"""Audit pages and API: staff only, filters, readable diffs, constant queries."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from huifu.audit.models import AuditAction, AuditEvent
from huifu.audit.services import audit_create, audit_record, audit_transition, audit_update, snapshot
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login

LIST = reverse("audit:list")
API = reverse("api-audit-event-list")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def org_history(org_a, coordinator):
    """Org A created, renamed, and its status changed, all by the coordinator."""
    audit_create(actor=coordinator, target=org_a)
    before = snapshot(org_a, ["name_zh"])
    org_a.name_zh = "甲期货股份有限公司"
    org_a.save()
    audit_update(actor=coordinator, target=org_a, before=before)
    audit_transition(actor=coordinator, target=org_a, source="active", target_state="suspended")
    return org_a


def history_url(obj):
    return reverse("audit:history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


NON_STAFF = ("member_a_admin", "member_b_contact", "partner_user", "regulator", "public_user")
STAFF = ("coordinator", "dept_staff", "finance_user", "msc_user")


@pytest.mark.parametrize("persona", NON_STAFF)
def test_non_staff_are_refused_everywhere(client, request, persona, org_history):
    user = request.getfixturevalue(persona)
    assert_denied(client, user, LIST, codes=(403,))
    assert_denied(client, user, history_url(org_history), codes=(403,))
    assert_denied(client, user, API, codes=(403,))


def test_anonymous_is_refused(client, org_history):
    assert_denied(client, None, LIST)
    assert_denied(client, None, history_url(org_history))
    assert_denied(client, None, API)


@pytest.mark.parametrize("persona", STAFF)
def test_staff_read_list_history_and_api(client, request, persona, org_history):
    user = request.getfixturevalue(persona)
    assert_allowed(client, user, LIST)
    assert_allowed(client, user, history_url(org_history))
    assert_allowed(client, user, API)


def test_history_shows_readable_diff(client, coordinator, org_history):
    login(client, coordinator)
    client.cookies["django_language"] = "en"  # the header's language switch
    response = client.get(history_url(org_history))
    assert response.status_code == 200
    body = response.content.decode()
    name_label = str(org_history._meta.get_field("name_zh").verbose_name)
    assert name_label[:1].upper() + name_label[1:] in body  # a label starts a row: capitalised in English
    assert "甲期货有限公司" in body and "甲期货股份有限公司" in body
    assert "→" in body
    assert "State changed" in body
    assert coordinator.email in body


def test_history_of_unknown_record_or_type_is_404(client, coordinator):
    assert_denied(
        client, coordinator, reverse("audit:history", args=["directory", "organisation", "999999"]), codes=(404,)
    )
    assert_denied(client, coordinator, reverse("audit:history", args=["nope", "nothing", "1"]), codes=(404,))


def test_list_filters(client, coordinator, dept_staff, org_history, org_b):
    audit_record(actor=dept_staff, action=AuditAction.EXPORT, target=org_b, message="导出名单")
    login(client, coordinator)
    body = client.get(LIST, {"action": "export"}).content.decode()
    assert "导出名单" in body and org_history.name_zh not in body
    body = client.get(LIST, {"actor": "staff@shfe"}).content.decode()
    assert "导出名单" in body
    page = client.get(LIST, {"record_type": "directory.organisation", "record_id": str(org_b.pk)}).context["page"]
    assert [e.action for e in page] == [AuditAction.EXPORT]
    today = timezone.localdate()
    assert len(client.get(LIST, {"date_from": today.isoformat()}).context["page"]) == AuditEvent.objects.count()
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert len(client.get(LIST, {"date_from": tomorrow}).context["page"]) == 0


def test_bad_filter_shows_error_next_to_field(client, coordinator, org_history):
    login(client, coordinator)
    response = client.get(LIST, {"date_from": "2025-02-30", "record_type": "no.such"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "date_from" in form.errors and "record_type" in form.errors


def test_list_runs_constant_queries(client, coordinator, org_a, org_b):
    audit_create(actor=coordinator, target=org_a)
    login(client, coordinator)

    def grow():
        for n in range(5):
            audit_record(
                actor=coordinator, action=AuditAction.UPDATE, target=org_b, changes={"name_zh": [f"旧{n}", f"新{n}"]}
            )

    assert_constant_queries(client, LIST, grow)


def test_history_runs_constant_queries(client, coordinator, org_a):
    audit_create(actor=coordinator, target=org_a)
    login(client, coordinator)

    def grow():
        for n in range(5):
            audit_record(
                actor=coordinator, action=AuditAction.UPDATE, target=org_a, changes={"name_zh": [f"旧{n}", f"新{n}"]}
            )

    assert_constant_queries(client, history_url(org_a), grow)


def test_api_filters_and_shape(client, coordinator, dept_staff, org_history):
    audit_record(actor=dept_staff, action=AuditAction.EXPORT, target=org_history, message="导出")
    login(client, coordinator)
    data = client.get(API, {"action": "export"}).json()
    assert len(data["results"]) == 1 and data["next"] is None
    row = data["results"][0]
    assert row["record_type"] == "directory.organisation"
    assert row["target_id"] == str(org_history.pk)
    assert row["actor"] == dept_staff.pk
    data = client.get(API, {"actor_id": coordinator.pk}).json()
    assert len(data["results"]) == AuditEvent.objects.filter(actor=coordinator).count() >= 3
    assert {row["actor"] for row in data["results"]} == {coordinator.pk}


def test_api_bad_filter_is_400_with_field(client, coordinator):
    login(client, coordinator)
    response = client.get(API, {"date_to": "yesterday"})
    assert response.status_code == 400
    assert "date_to" in response.json()["error"]["fields"]
    response = client.get(API, {"actor_id": "abc"})
    assert response.status_code == 400


def test_api_is_read_only(client, coordinator, org_history):
    login(client, coordinator)
    count = AuditEvent.objects.count()
    assert client.post(API, {"action": "create"}, content_type="application/json").status_code == 405
    assert AuditEvent.objects.count() == count


def test_history_include_for_other_apps(coordinator, member_a_admin, org_history):
    template = Template("{% load audit_tags %}{% audit_history obj %}")
    request = RequestFactory().get("/")
    request.user = coordinator
    html = template.render(Context({"obj": org_history, "request": request}))
    assert "甲期货股份有限公司" in html
    request.user = member_a_admin
    assert template.render(Context({"obj": org_history, "request": request})).strip() == ""


def test_history_page_is_chinese_by_default(client, coordinator, org_history):
    body = assert_allowed(client, coordinator, history_url(org_history)).content.decode()
    assert "状态变更" in body and "修改前" in body


def test_history_reads_a_list_of_choice_values(client, coordinator, org_a):
    """A choices field recorded with several values (a bulk change, a multi-select) reads as the
    labels joined, not a 500 on the audit list."""
    from huifu.directory.models import OrganisationKind

    audit_record(
        actor=coordinator,
        action=AuditAction.CREATE,
        target=org_a,
        changes={"kind": [OrganisationKind.FUTURES_COMPANY, OrganisationKind.UNIVERSITY]},
    )
    login(client, coordinator)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    futures, university = (str(k.label) for k in (OrganisationKind.FUTURES_COMPANY, OrganisationKind.UNIVERSITY))
    assert f"{futures}、{university}" in body
