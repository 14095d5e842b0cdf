import pytest
from django.urls import reverse

from huifu.audit.models import AuditAction, AuditEvent
from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.core.testing.factories import ContactFactory, OrganisationFactory
from huifu.directory import services
from huifu.directory.models import Contact, Liaison, Organisation, OrganisationKind, OrganisationStatus
from huifu.directory.regions import Region
from huifu.files.models import StoredFile

from .helpers import CONTACT_HEADERS, ORG_HEADERS, org_row, read_xlsx, upload, uscc, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_list_search_and_filters(client, dept_staff, org_a, org_b, association):
    org_a.uscc = uscc("55555555")
    org_a.save()
    login(client, dept_staff)
    url = reverse("directory:organisation_list")
    assert [o.pk for o in client.get(url).context["page"]] == [org_a.pk, org_b.pk, association.pk]
    for q in ("甲期货", "0101", "Alpha", uscc("55555555")[:10].lower()):
        assert [o.pk for o in client.get(url, {"q": q}).context["page"]] == [org_a.pk], q
    assert [o.pk for o in client.get(url, {"region": Region.ZHEJIANG}).context["page"]] == [org_b.pk]
    assert [o.pk for o in client.get(url, {"kind": OrganisationKind.INDUSTRY_ASSOCIATION}).context["page"]] == [
        association.pk
    ]
    Organisation.objects.filter(pk=org_b.pk).update(status=OrganisationStatus.SUSPENDED)
    assert [o.pk for o in client.get(url, {"status": "suspended"}).context["page"]] == [org_b.pk]
    assert client.get(url, {"kind": "nonsense"}).status_code == 200  # a bad filter is ignored, not a 500


def test_list_is_paginated_with_constant_queries(client, coordinator):
    login(client, coordinator)
    OrganisationFactory.create_batch(3)

    def grow():
        for org in OrganisationFactory.create_batch(60):
            ContactFactory.create_batch(2, organisation=org)

    assert_constant_queries(client, reverse("directory:organisation_list"), grow)
    response = client.get(reverse("directory:organisation_list"), {"page": 2})
    assert response.context["page"].number == 2 and len(response.context["page"]) == 13


def test_member_sees_only_own_organisation_in_list(client, member_a_contact, org_a, org_b):
    login(client, member_a_contact)
    page = client.get(reverse("directory:organisation_list")).context["page"]
    assert [o.pk for o in page] == [org_a.pk]


def test_detail_shows_contacts_users_and_history_link_for_staff(client, coordinator, member_a_admin, org_a):
    ContactFactory(organisation=org_a, name="张联系", is_primary=True)
    login(client, coordinator)
    response = client.get(reverse("directory:organisation_detail", args=[org_a.pk]))
    body = response.content.decode()
    assert "张联系" in body and member_a_admin.email in body
    assert response.context["can_suspend"]
    assert response.context["history_url"] == reverse("audit:history", args=["directory", "organisation", org_a.pk])
    login(client, member_a_admin)
    response = client.get(reverse("directory:organisation_detail", args=[org_a.pk]))
    assert response.context["history_url"] is None and not response.context["can_suspend"]
    assert response.context["can_edit"] and response.context["can_add_contact"]


def test_coordinator_creates_organisation_with_errors_shown_next_to_fields(client, coordinator):
    login(client, coordinator)
    url = reverse("directory:organisation_create")
    data = {
        "kind": OrganisationKind.FUTURES_COMPANY,
        "name_zh": "丙期货有限公司",
        "member_number": "",
        "uscc": "91350100M000100Y44",
        "region": "shanghai",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "member_number" in form.errors and "uscc" in form.errors
    assert not Organisation.objects.filter(name_zh="丙期货有限公司").exists()
    data.update(member_number="0303", uscc="91350100M000100Y43")
    response = client.post(url, data)
    org = Organisation.objects.get(name_zh="丙期货有限公司")
    assert response.status_code == 302 and response["Location"] == reverse(
        "directory:organisation_detail", args=[org.pk]
    )


def test_org_admin_edit_form_only_offers_contact_fields(client, member_a_admin, org_a):
    login(client, member_a_admin)
    url = reverse("directory:organisation_edit", args=[org_a.pk])
    assert set(client.get(url).context["form"].fields) == {"email", "phone", "address"}
    response = client.post(
        url,
        {
            "email": "new@alpha.example",
            "phone": "021-68400002",
            "address": "浦东",
            "kind": OrganisationKind.UNIVERSITY,
            "member_number": "9999",
            "status": "suspended",
        },
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.email, org_a.kind, org_a.member_number, org_a.status) == (
        "new@alpha.example",
        OrganisationKind.FUTURES_COMPANY,
        "0101",
        OrganisationStatus.ACTIVE,
    )


def test_suspend_and_reactivate_pages(client, coordinator, org_a):
    login(client, coordinator)
    client.post(reverse("directory:organisation_suspend", args=[org_a.pk]), {"reason": "测试"})
    org_a.refresh_from_db()
    assert org_a.status == OrganisationStatus.SUSPENDED
    response = client.post(reverse("directory:organisation_suspend", args=[org_a.pk]), follow=True)
    assert response.status_code == 200 and list(response.context["messages"])  # refused with a message
    client.post(reverse("directory:organisation_reactivate", args=[org_a.pk]))
    org_a.refresh_from_db()
    assert org_a.status == OrganisationStatus.ACTIVE


def test_contact_pages(client, member_a_admin, org_a):
    login(client, member_a_admin)
    response = client.post(
        reverse("directory:contact_create", args=[org_a.pk]),
        {"name": "张三", "role": "liaison", "email": "zs@alpha.example", "is_primary": "on"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(name="张三")
    assert contact.is_primary
    response = client.post(
        reverse("directory:contact_edit", args=[contact.pk]),
        {"name": "张三", "role": "nope", "email": "zs@alpha.example"},
    )
    assert response.status_code == 200 and "role" in response.context["form"].errors
    client.post(reverse("directory:contact_delete", args=[contact.pk]))
    assert not Contact.objects.exists()


def test_liaison_page_lists_published_people_with_constant_queries(
    client, coordinator, member_a_contact, dept_business, dept_mm
):
    copper = services.business_area_create(actor=coordinator, department=dept_business, name_zh="铜")
    services.liaison_create(
        actor=coordinator,
        department=dept_business,
        business_area=copper,
        name="林涛",
        phone="021-68690001",
        email="lt@shfe.example",
    )
    hidden = services.liaison_create(actor=coordinator, department=dept_business, name="隐藏人")
    services.liaison_publish(actor=coordinator, liaison=hidden, published=False)
    services.department_update(actor=coordinator, department=dept_mm, data={"is_active": False})
    services.liaison_create(actor=coordinator, department=dept_mm, name="停用部门的人")
    login(client, member_a_contact)
    url = reverse("directory:liaisons")
    response = client.get(url)
    body = response.content.decode()
    assert "林涛" in body and "021-68690001" in body and "铜" in body
    assert "隐藏人" not in body and "停用部门的人" not in body
    assert response.context["page"].updated_at is not None

    def grow():
        for i in range(5):
            dept = services.department_create(
                actor=coordinator, data={"code": f"d{i}", "kind": "business", "name_zh": f"部门{i}"}
            )
            area = services.business_area_create(actor=coordinator, department=dept, name_zh=f"品种{i}")
            for j in range(3):
                services.liaison_create(actor=coordinator, department=dept, business_area=area, name=f"人{i}{j}")

    assert_constant_queries(client, url, grow)
    export = client.get(reverse("directory:liaisons_export"))
    rows = read_xlsx(export.content)
    assert rows[0] == ["部门", "业务范围", "姓名", "职务", "电话", "电子邮箱"]
    assert ["有色金属部", "铜", "林涛", None, "021-68690001", "lt@shfe.example"] in rows
    assert len(rows) == 1 + 1 + 15


def test_departments_admin_page(client, coordinator, dept_business, dept_mm):
    login(client, coordinator)
    assert client.get(reverse("directory:departments")).status_code == 200
    client.post(reverse("directory:business_area_create", args=[dept_business.pk]), {"name_zh": "铜"})
    client.post(reverse("directory:business_area_create", args=[dept_business.pk]), {"name_zh": "铝"})
    areas = list(dept_business.business_areas.order_by("sort_order"))
    assert [a.name_zh for a in areas] == ["铜", "铝"]
    client.post(reverse("directory:business_area_move", args=[areas[1].pk]), {"direction": "up"})
    assert list(dept_business.business_areas.order_by("sort_order").values_list("name_zh", flat=True)) == ["铝", "铜"]
    response = client.post(
        reverse("directory:liaison_create", args=[dept_business.pk]),
        {"business_area": areas[0].pk, "name": "林涛", "email": "bad", "is_published": "on"},
    )
    assert response.status_code == 200 and "email" in response.context["form"].errors
    client.post(
        reverse("directory:liaison_create", args=[dept_business.pk]),
        {"business_area": areas[0].pk, "name": "林涛", "is_published": "on"},
    )
    person = Liaison.objects.get()
    client.post(reverse("directory:liaison_publish", args=[person.pk]), {"publish": "0"})
    person.refresh_from_db()
    assert not person.is_published
    client.post(reverse("directory:department_move", args=[dept_business.pk]), {"direction": "up"})
    client.post(reverse("directory:liaison_delete", args=[person.pk]))
    client.post(reverse("directory:business_area_delete", args=[areas[0].pk]))
    assert not Liaison.objects.exists() and dept_business.business_areas.count() == 1


def test_import_page_good_file(client, coordinator):
    login(client, coordinator)
    content = xlsx_bytes(ORG_HEADERS, [org_row("丙期货有限公司", "0303", uscc("30303030"))])
    response = client.post(reverse("directory:import"), {"what": "organisations", "file": upload(content)})
    assert response.status_code == 200
    assert Organisation.objects.filter(member_number="0303").exists()
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 1
    kept = StoredFile.objects.get(purpose="directory_import")  # the upload is kept in the file store
    assert kept.uploaded_by == coordinator and kept.organisation is None


def test_import_page_bad_rows_show_report_and_download(client, coordinator, org_a):
    login(client, coordinator)
    content = xlsx_bytes(CONTACT_HEADERS, [["0101", "张三", "", "", "", "", ""], ["9999", "李四", "", "", "", "", ""]])
    response = client.post(reverse("directory:import"), {"what": "contacts", "file": upload(content)})
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [(3, "机构名称或会员号")]
    assert "9999" in response.content.decode()
    assert not Contact.objects.exists()
    report = read_xlsx(client.get(reverse("directory:import_errors")).content)
    assert report[0] == ["行号", "列", "问题"] and report[1][:2] == [3, "机构名称或会员号"]


@pytest.mark.parametrize("content", [b"just,a,csv\n1,2,3\n", b"PK\x03\x04 broken zip", b"%PDF-1.4 fake"])
def test_import_page_refuses_files_that_are_not_xlsx(client, coordinator, content):
    login(client, coordinator)
    response = client.post(reverse("directory:import"), {"what": "organisations", "file": upload(content, "x.xlsx")})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert response.context["result"] is None
    assert not StoredFile.objects.exists() and Organisation.objects.count() == 0


def test_template_download(client, coordinator):
    login(client, coordinator)
    response = client.get(reverse("directory:import_template", args=["contacts"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert read_xlsx(response.content)[0] == ["机构名称或会员号*", "姓名*", *CONTACT_HEADERS[2:]]
    assert client.get(reverse("directory:import_template", args=["other"])).status_code == 404


def test_export_respects_filters_and_is_audited(client, dept_staff, org_a, org_b):
    ContactFactory(organisation=org_a, name="甲的人")
    ContactFactory(organisation=org_b, name="乙的人")
    login(client, dept_staff)
    rows = read_xlsx(client.get(reverse("directory:organisations_export"), {"region": Region.ZHEJIANG}).content)
    assert rows[0] == ORG_HEADERS and [r[1] for r in rows[1:]] == ["乙期货有限公司"]
    rows = read_xlsx(client.get(reverse("directory:contacts_export")).content)
    assert rows[0] == CONTACT_HEADERS and sorted(r[1] for r in rows[1:]) == ["乙的人", "甲的人"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_org_user_export_contains_only_own_organisation(client, member_a_contact, org_a, org_b):
    ContactFactory(organisation=org_a, name="甲的人")
    ContactFactory(organisation=org_b, name="乙的人")
    login(client, member_a_contact)
    rows = read_xlsx(client.get(reverse("directory:organisations_export")).content)
    assert [r[1] for r in rows[1:]] == ["甲期货有限公司"]
    rows = read_xlsx(client.get(reverse("directory:contacts_export"), {"q": "乙"}).content)
    assert rows[1:] == []
    rows = read_xlsx(client.get(reverse("directory:contacts_export")).content)
    assert [r[1] for r in rows[1:]] == ["甲的人"]


def test_navigation_shows_directory_entries_only_to_who_may_open_them(public_user, member_a_contact, dept_staff):
    from huifu.core.navigation import navigation_for

    def urls(user):
        entries = navigation_for(user)
        return {e["url"] for e in entries if "url" in e} | {c["url"] for e in entries for c in e.get("children", [])}

    wanted = {reverse("directory:liaisons"), reverse("directory:organisation_list")}
    assert not wanted & urls(public_user)
    for user in (member_a_contact, dept_staff):
        assert wanted <= urls(user)
