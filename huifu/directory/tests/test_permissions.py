"""The permission matrix: every page x every persona, allowed and denied both asserted, and
denied writes change nothing."""

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.directory.models import BusinessArea, Contact, Liaison, Organisation, OrganisationStatus

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
    "coordinator",
]
STAFF = {"dept_staff", "coordinator"}
ORG_USERS = {"member_a_admin", "member_a_contact", "member_b_admin", "partner_user", "regulator"}
OWN_A = {"member_a_admin", "member_a_contact"}


@pytest.fixture
def world(org_a, org_b, dept_business, association, csrc_shanghai):
    contact = Contact.objects.create(organisation=org_a, name="甲联系人一", email="one@alpha.example")
    area = BusinessArea.objects.create(department=dept_business, name_zh="铜")
    liaison = Liaison.objects.create(department=dept_business, business_area=area, name="林涛")
    return {"org_a": org_a, "contact": contact, "dept": dept_business, "area": area, "liaison": liaison}


def persona(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


# url name, how to build args from the world, personas allowed to GET it
PAGES = [
    ("directory:organisation_list", lambda w: [], STAFF | ORG_USERS),
    ("directory:organisation_detail", lambda w: [w["org_a"].pk], STAFF | OWN_A),
    ("directory:organisation_create", lambda w: [], {"coordinator"}),
    ("directory:organisation_edit", lambda w: [w["org_a"].pk], {"coordinator", "member_a_admin"}),
    ("directory:contact_create", lambda w: [w["org_a"].pk], {"coordinator", "member_a_admin"}),
    ("directory:contact_edit", lambda w: [w["contact"].pk], {"coordinator", "member_a_admin"}),
    ("directory:organisations_export", lambda w: [], STAFF | ORG_USERS),
    ("directory:contacts_export", lambda w: [], STAFF | ORG_USERS),
    ("directory:import", lambda w: [], {"coordinator"}),
    ("directory:import_template", lambda w: ["organisations"], {"coordinator"}),
    ("directory:liaisons", lambda w: [], STAFF | ORG_USERS),
    ("directory:liaisons_export", lambda w: [], STAFF | ORG_USERS),
    ("directory:departments", lambda w: [], {"coordinator"}),
    ("directory:department_create", lambda w: [], {"coordinator"}),
    ("directory:department_edit", lambda w: [w["dept"].pk], {"coordinator"}),
    ("directory:business_area_create", lambda w: [w["dept"].pk], {"coordinator"}),
    ("directory:business_area_edit", lambda w: [w["area"].pk], {"coordinator"}),
    ("directory:liaison_create", lambda w: [w["dept"].pk], {"coordinator"}),
    ("directory:liaison_edit", lambda w: [w["liaison"].pk], {"coordinator"}),
]


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize(("url_name", "args", "allowed"), PAGES, ids=[p[0].split(":")[1] for p in PAGES])
def test_page_matrix(request, client, world, who, url_name, args, allowed):
    url = reverse(url_name, args=args(world))
    user = persona(request, who)
    if who in allowed:
        assert_allowed(client, user, url)
    else:
        assert_denied(client, user, url)


def test_other_organisation_answers_404_like_a_missing_one(client, world, member_b_admin, partner_user):
    for user in (member_b_admin, partner_user):
        for url in (
            reverse("directory:organisation_detail", args=[world["org_a"].pk]),
            reverse("directory:organisation_edit", args=[world["org_a"].pk]),
            reverse("directory:contact_edit", args=[world["contact"].pk]),
            reverse("directory:organisation_detail", args=[999999]),
        ):
            assert_denied(client, user, url, codes=(404,))


def test_wrong_role_on_list_and_admin_pages_is_403(client, world, public_user, dept_staff, member_a_admin):
    assert_denied(client, public_user, reverse("directory:organisation_list"), codes=(403,))
    assert_denied(client, public_user, reverse("directory:liaisons"), codes=(403,))
    assert_denied(client, dept_staff, reverse("directory:departments"), codes=(403,))
    assert_denied(client, member_a_admin, reverse("directory:import"), codes=(403,))
    assert_denied(client, dept_staff, reverse("directory:organisation_edit", args=[world["org_a"].pk]), codes=(403,))


def _state(world):
    org = Organisation.objects.get(pk=world["org_a"].pk)
    return (
        Organisation.objects.count(),
        org.name_zh,
        org.phone,
        org.status,
        list(Contact.objects.order_by("pk").values_list("pk", "name", "is_primary")),
        list(BusinessArea.objects.order_by("pk").values_list("pk", "name_zh", "sort_order")),
        list(Liaison.objects.order_by("pk").values_list("pk", "name", "is_published", "sort_order")),
    )


WRITES = [
    (
        "directory:organisation_create",
        lambda w: [],
        {"kind": "futures_company", "name_zh": "新", "member_number": "0909"},
        {"coordinator"},
    ),
    (
        "directory:organisation_edit",
        lambda w: [w["org_a"].pk],
        {
            "kind": "futures_company",
            "name_zh": "甲期货有限公司",
            "member_number": "0101",
            "region": "shanghai",
            "phone": "021-68400000",
            "email": "",
            "address": "",
        },
        {"coordinator", "member_a_admin"},
    ),
    ("directory:organisation_suspend", lambda w: [w["org_a"].pk], {"reason": "x"}, {"coordinator"}),
    (
        "directory:contact_create",
        lambda w: [w["org_a"].pk],
        {"name": "新人", "role": "liaison"},
        {"coordinator", "member_a_admin"},
    ),
    (
        "directory:contact_edit",
        lambda w: [w["contact"].pk],
        {"name": "改名", "role": "liaison"},
        {"coordinator", "member_a_admin"},
    ),
    ("directory:contact_delete", lambda w: [w["contact"].pk], {}, {"coordinator", "member_a_admin"}),
    ("directory:business_area_create", lambda w: [w["dept"].pk], {"name_zh": "铝"}, {"coordinator"}),
    ("directory:business_area_delete", lambda w: [w["area"].pk], {}, {"coordinator"}),
    ("directory:liaison_publish", lambda w: [w["liaison"].pk], {"publish": "0"}, {"coordinator"}),
    ("directory:liaison_delete", lambda w: [w["liaison"].pk], {}, {"coordinator"}),
    ("directory:liaison_move", lambda w: [w["liaison"].pk], {"direction": "up"}, {"coordinator"}),
]


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize(("url_name", "args", "data", "allowed"), WRITES, ids=[w[0].split(":")[1] for w in WRITES])
def test_write_matrix(request, client, world, who, url_name, args, data, allowed):
    url = reverse(url_name, args=args(world))
    user = persona(request, who)
    before = _state(world)
    if who in allowed:
        assert_allowed(client, user, url, method="post", data=data, ok=(302,))
        if url_name != "directory:liaison_move":  # a single liaison cannot move
            assert _state(world) != before
    else:
        assert_denied(client, user, url, method="post", data=data)
        assert _state(world) == before


@pytest.mark.parametrize("who", sorted(set(PERSONAS) - {"coordinator", "anonymous"}))
def test_denied_import_changes_nothing(request, client, world, who):
    from .helpers import ORG_HEADERS, org_row, upload, xlsx_bytes

    content = xlsx_bytes(ORG_HEADERS, [org_row("丙期货有限公司", "0303")])
    before = _state(world)
    assert_denied(
        client,
        request.getfixturevalue(who),
        reverse("directory:import"),
        method="post",
        data={"what": "organisations", "file": upload(content)},
        codes=(403,),
    )
    assert _state(world) == before


def test_suspended_state_is_unchanged_by_denied_reactivate(client, world, dept_staff, member_a_admin):
    Organisation.objects.filter(pk=world["org_a"].pk).update(status=OrganisationStatus.SUSPENDED)
    for user in (dept_staff, member_a_admin):
        assert_denied(
            client, user, reverse("directory:organisation_reactivate", args=[world["org_a"].pk]), method="post"
        )
    assert Organisation.objects.get(pk=world["org_a"].pk).status == OrganisationStatus.SUSPENDED
