import json

import pytest

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.core.testing.auth import login
from huifu.directory.models import BusinessArea, Contact, Liaison, Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

BASE = "/api/v1/directory"
PERSONAS = [
    "anonymous",
    "public_user",
    "member_a_admin",
    "member_a_contact",
    "member_b_admin",
    "partner_user",
    "regulator",
    "dept_staff",
    "coordinator",
]
READERS = {
    "member_a_admin",
    "member_a_contact",
    "member_b_admin",
    "partner_user",
    "regulator",
    "dept_staff",
    "coordinator",
}


@pytest.fixture
def world(org_a, org_b, dept_business, association, csrc_shanghai):
    contact_a = Contact.objects.create(organisation=org_a, name="甲联系人一", email="one@alpha.example")
    contact_b = Contact.objects.create(organisation=org_b, name="乙联系人一", email="one@beta.example")
    area = BusinessArea.objects.create(department=dept_business, name_zh="铜")
    Liaison.objects.create(department=dept_business, business_area=area, name="林涛", phone="021-68690001")
    Liaison.objects.create(department=dept_business, name="隐藏人", is_published=False)
    return {"org_a": org_a, "org_b": org_b, "contact_a": contact_a, "contact_b": contact_b}


def persona(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


def send(client, method, url, data):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("path", ["/organisations/", "/contacts/", "/departments/"])
def test_read_matrix(request, client, world, who, path):
    user = persona(request, who)
    if who in READERS:
        assert_allowed(client, user, BASE + path)
    else:
        assert_denied(client, user, BASE + path, codes=(403,))


def test_scoping_of_lists(client, world, member_a_contact, dept_staff):
    login(client, member_a_contact)
    orgs = client.get(BASE + "/organisations/").json()["results"]
    assert [o["id"] for o in orgs] == [world["org_a"].pk]
    contacts = client.get(BASE + "/contacts/").json()["results"]
    assert [c["id"] for c in contacts] == [world["contact_a"].pk]
    assert client.get(BASE + f"/contacts/?organisation={world['org_b'].pk}").json()["results"] == []
    login(client, dept_staff)
    assert client.get(BASE + "/organisations/").json()["count"] == 4
    assert client.get(BASE + "/organisations/?q=乙期货").json()["count"] == 1


def test_other_organisation_is_404(client, world, member_a_admin):
    login(client, member_a_admin)
    assert client.get(BASE + f"/organisations/{world['org_b'].pk}/").status_code == 404
    assert client.get(BASE + f"/contacts/{world['contact_b'].pk}/").status_code == 404
    response = send(client, "patch", BASE + f"/organisations/{world['org_b'].pk}/", {"phone": "021-68400000"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert client.delete(BASE + f"/contacts/{world['contact_b'].pk}/").status_code == 404
    assert Contact.objects.filter(pk=world["contact_b"].pk).exists()
    assert Organisation.objects.get(pk=world["org_b"].pk).phone == ""


def test_contact_for_another_organisation_is_refused_with_a_clear_message(client, world, member_a_admin):
    login(client, member_a_admin)
    response = send(client, "post", BASE + "/contacts/", {"organisation": world["org_b"].pk, "name": "渗透"})
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "validation_error" and "organisation" in body["fields"]
    assert not Contact.objects.filter(name="渗透").exists()
    response = send(
        client,
        "post",
        BASE + "/contacts/",
        {"organisation": world["org_a"].pk, "name": "新人", "email": "new@alpha.example", "is_primary": True},
    )
    assert response.status_code == 201, response.json()
    assert Contact.objects.get(name="新人").is_primary
    response = send(client, "patch", BASE + f"/contacts/{world['contact_a'].pk}/", {"organisation": world["org_b"].pk})
    assert response.status_code == 400
    assert Contact.objects.get(pk=world["contact_a"].pk).organisation_id == world["org_a"].pk


def test_member_contact_cannot_write_contacts(client, world, member_a_contact):
    login(client, member_a_contact)
    assert (
        send(client, "post", BASE + "/contacts/", {"organisation": world["org_a"].pk, "name": "x"}).status_code == 400
    )
    assert send(client, "patch", BASE + f"/contacts/{world['contact_a'].pk}/", {"name": "x"}).status_code == 403
    assert client.delete(BASE + f"/contacts/{world['contact_a'].pk}/").status_code == 403
    assert Contact.objects.get(pk=world["contact_a"].pk).name == "甲联系人一"


def test_org_admin_patches_contact_fields_only(client, world, member_a_admin):
    login(client, member_a_admin)
    url = BASE + f"/organisations/{world['org_a'].pk}/"
    response = send(client, "patch", url, {"phone": "021-68400003", "email": "x@alpha.example"})
    assert response.status_code == 200 and response.json()["phone"] == "021-68400003"
    response = send(client, "patch", url, {"member_number": "9999"})
    assert response.status_code == 403
    response = send(client, "patch", url, {"status": "suspended"})
    assert response.status_code == 400  # status is not a field here; it changes by suspend/reactivate only
    org = Organisation.objects.get(pk=world["org_a"].pk)
    assert (org.member_number, org.status) == ("0101", "active")


def test_coordinator_creates_with_validation(client, world, coordinator, dept_staff, member_a_admin):
    for user in (dept_staff, member_a_admin):
        login(client, user)
        assert (
            send(client, "post", BASE + "/organisations/", {"kind": "university", "name_zh": "某大学"}).status_code
            == 403
        )
    assert not Organisation.objects.filter(name_zh="某大学").exists()
    login(client, coordinator)
    response = send(
        client,
        "post",
        BASE + "/organisations/",
        {
            "kind": OrganisationKind.FUTURES_COMPANY,
            "name_zh": "丙期货有限公司",
            "member_number": "01",
            "uscc": "91350100M000100Y44",
        },
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"member_number", "uscc"}
    response = send(
        client,
        "post",
        BASE + "/organisations/",
        {
            "kind": OrganisationKind.FUTURES_COMPANY,
            "name_zh": "丙期货有限公司",
            "member_number": "0303",
            "uscc": "91350100M000100Y43",
            "region": "shanghai",
        },
    )
    assert response.status_code == 201 and response.json()["member_number"] == "0303"
    assert send(client, "post", BASE + "/organisations/", {"name_zh": "x"}).status_code == 400


def test_departments_show_published_liaisons(client, world, partner_user):
    login(client, partner_user)
    data = client.get(BASE + "/departments/").json()
    dept = next(d for d in data if d["code"] == "nonferrous")
    assert [b["name_zh"] for b in dept["business_areas"]] == ["铜"]
    assert [p["name"] for p in dept["liaisons"]] == ["林涛"]


def test_schema_builds(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/directory/organisations/" in response.content
