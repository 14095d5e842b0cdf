import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.audit.models import AuditAction, AuditEvent
from huifu.directory import services
from huifu.directory.models import (
    BusinessArea,
    Contact,
    ContactRole,
    Department,
    DepartmentKind,
    Liaison,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)
from huifu.directory.regions import Region

from .helpers import uscc

pytestmark = pytest.mark.django_db


def _org(actor, **kwargs):
    values = {
        "kind": OrganisationKind.FUTURES_COMPANY,
        "name_zh": "丙期货有限公司",
        "member_number": "0303",
        "region": Region.SHANGHAI,
    }
    values.update(kwargs)
    return services.organisation_create(actor=actor, **values)


def errors_of(exc_info):
    return exc_info.value.message_dict


# --- organisations -----------------------------------------------------------------------------


def test_create_organisation_writes_one_audit_entry(coordinator):
    org = _org(coordinator, uscc=uscc("13221020").lower(), email="office@c.example")
    assert org.uscc == uscc("13221020")  # normalised to capitals
    events = AuditEvent.objects.for_object(org)
    assert [e.action for e in events] == [AuditAction.CREATE]
    assert events[0].actor == coordinator


def test_futures_company_needs_member_number(coordinator):
    with pytest.raises(ValidationError) as info:
        _org(coordinator, member_number="")
    assert "member_number" in errors_of(info)
    assert not Organisation.objects.filter(name_zh="丙期货有限公司").exists()


def test_csrc_bureau_needs_region(coordinator):
    with pytest.raises(ValidationError) as info:
        _org(
            coordinator,
            kind=OrganisationKind.CSRC_BUREAU,
            name_zh="中国证券监督管理委员会某监管局",
            member_number=None,
            region="",
        )
    assert errors_of(info) == {"region": ["A CSRC bureau needs a region."]}


def test_only_member_kinds_have_member_numbers(coordinator):
    with pytest.raises(ValidationError) as info:
        _org(coordinator, kind=OrganisationKind.UNIVERSITY, name_zh="某大学", member_number="0909")
    assert "member_number" in errors_of(info)


def test_bad_uscc_and_member_number_are_named(coordinator):
    with pytest.raises(ValidationError) as info:
        _org(coordinator, member_number="12", uscc="91350100M000100Y44", email="not-an-email", region="mars")
    assert set(errors_of(info)) == {"member_number", "uscc", "email", "region"}


def test_duplicates_are_refused(coordinator, org_a):
    code = uscc("11111111")
    _org(coordinator, uscc=code)
    with pytest.raises(ValidationError) as info:
        _org(coordinator, name_zh=org_a.name_zh, member_number=org_a.member_number, uscc=code)
    assert set(errors_of(info)) == {"name_zh", "member_number", "uscc"}


def test_non_coordinator_cannot_create(dept_staff, member_a_admin):
    for actor in (dept_staff, member_a_admin):
        with pytest.raises(PermissionDenied):
            _org(actor)
    assert not Organisation.objects.filter(name_zh="丙期货有限公司").exists()


def test_update_records_the_diff(coordinator, org_a):
    services.organisation_update(actor=coordinator, organisation=org_a, data={"name_en": "Alpha Futures", "phone": "1"})
    event = AuditEvent.objects.for_object(org_a).get()
    assert event.action == AuditAction.UPDATE
    assert event.changes == {"name_en": ["Alpha Futures Co., Ltd.", "Alpha Futures"], "phone": ["", "1"]}


def test_update_without_change_writes_no_audit(coordinator, org_a):
    services.organisation_update(actor=coordinator, organisation=org_a, data={"name_zh": org_a.name_zh})
    assert not AuditEvent.objects.for_object(org_a).exists()


def test_org_admin_changes_only_contact_fields(member_a_admin, org_a):
    services.organisation_update(
        actor=member_a_admin, organisation=org_a, data={"phone": "021-1", "email": "a@a.example"}
    )
    org_a.refresh_from_db()
    assert org_a.phone == "021-1"
    for field, value in (("kind", OrganisationKind.UNIVERSITY), ("member_number", "9999"), ("name_zh", "X")):
        with pytest.raises(PermissionDenied):
            services.organisation_update(actor=member_a_admin, organisation=org_a, data={field: value})
    org_a.refresh_from_db()
    assert (org_a.kind, org_a.member_number, org_a.name_zh) == (
        OrganisationKind.FUTURES_COMPANY,
        "0101",
        "甲期货有限公司",
    )


def test_org_admin_cannot_touch_another_organisation(member_a_admin, member_a_contact, org_b):
    for actor in (member_a_admin, member_a_contact):
        with pytest.raises(PermissionDenied):
            services.organisation_update(actor=actor, organisation=org_b, data={"phone": "1"})


def test_changing_kind_to_futures_company_requires_member_number(coordinator, association):
    with pytest.raises(ValidationError) as info:
        services.organisation_update(
            actor=coordinator, organisation=association, data={"kind": OrganisationKind.FUTURES_COMPANY}
        )
    assert "member_number" in errors_of(info)


def test_suspend_and_reactivate(coordinator, org_a):
    services.organisation_suspend(actor=coordinator, organisation=org_a, reason="欠费")
    org_a.refresh_from_db()
    assert org_a.status == OrganisationStatus.SUSPENDED
    with pytest.raises(ValidationError):
        services.organisation_suspend(actor=coordinator, organisation=org_a)
    services.organisation_reactivate(actor=coordinator, organisation=org_a)
    org_a.refresh_from_db()
    assert org_a.status == OrganisationStatus.ACTIVE
    transitions = AuditEvent.objects.for_object(org_a).filter(action=AuditAction.TRANSITION)
    assert sorted(e.changes["status"][1] for e in transitions) == ["active", "suspended"]
    with pytest.raises(ValidationError):
        services.organisation_reactivate(actor=coordinator, organisation=org_a)


def test_only_coordinator_suspends(dept_staff, member_a_admin, org_a):
    for actor in (dept_staff, member_a_admin):
        with pytest.raises(PermissionDenied):
            services.organisation_suspend(actor=actor, organisation=org_a)
    org_a.refresh_from_db()
    assert org_a.status == OrganisationStatus.ACTIVE


# --- contacts ------------------------------------------------------------------------------------


def test_contact_create_and_primary_moves(member_a_admin, org_a):
    first = services.contact_create(
        actor=member_a_admin, organisation=org_a, name="张三", is_primary=True, email="Zhang@Alpha.example"
    )
    assert first.email == "zhang@alpha.example"
    second = services.contact_create(actor=member_a_admin, organisation=org_a, name="李四", is_primary=True)
    first.refresh_from_db()
    assert second.is_primary and not first.is_primary
    assert AuditEvent.objects.for_object(second).get().action == AuditAction.CREATE


def test_contact_email_unique_per_organisation(coordinator, org_a, org_b):
    services.contact_create(actor=coordinator, organisation=org_a, name="张三", email="x@x.example")
    with pytest.raises(ValidationError) as info:
        services.contact_create(actor=coordinator, organisation=org_a, name="张四", email="x@x.example")
    assert "email" in errors_of(info)
    services.contact_create(actor=coordinator, organisation=org_b, name="张四", email="x@x.example")


def test_contact_validation(coordinator, org_a):
    with pytest.raises(ValidationError) as info:
        services.contact_create(actor=coordinator, organisation=org_a, name=" ", role="boss", email="nope")
    assert set(errors_of(info)) == {"name", "role", "email"}
    assert not Contact.objects.exists()


def test_contact_update_and_delete(member_a_admin, org_a):
    contact = services.contact_create(actor=member_a_admin, organisation=org_a, name="张三")
    services.contact_update(
        actor=member_a_admin, contact=contact, data={"title": "总经理", "role": ContactRole.PRINCIPAL}
    )
    contact.refresh_from_db()
    assert contact.title == "总经理"
    pk = contact.pk
    services.contact_delete(actor=member_a_admin, contact=contact)
    assert not Contact.objects.exists()
    actions = list(AuditEvent.objects.filter(target_id=str(pk)).values_list("action", flat=True))
    assert sorted(actions) == sorted([AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE])


def test_other_org_cannot_manage_contacts(member_b_admin, member_a_contact, dept_staff, org_a):
    for actor in (member_b_admin, member_a_contact, dept_staff):
        with pytest.raises(PermissionDenied):
            services.contact_create(actor=actor, organisation=org_a, name="外人")
    contact = Contact.objects.create(organisation=org_a, name="张三")
    for actor in (member_b_admin, member_a_contact, dept_staff):
        with pytest.raises(PermissionDenied):
            services.contact_update(actor=actor, contact=contact, data={"name": "改"})
        with pytest.raises(PermissionDenied):
            services.contact_delete(actor=actor, contact=contact)
    contact.refresh_from_db()
    assert contact.name == "张三"


# --- departments, business areas, liaison people ---------------------------------------------------


def test_department_lifecycle(coordinator):
    dept = services.department_create(
        actor=coordinator,
        data={"code": "precious", "kind": DepartmentKind.BUSINESS, "name_zh": "贵金属部", "name_en": "Precious Metals"},
    )
    assert dept.sort_order >= 10
    services.department_update(actor=coordinator, department=dept, data={"description": "黄金、白银"})
    with pytest.raises(ValidationError) as info:
        services.department_create(actor=coordinator, data={"code": "precious", "kind": "nope", "name_zh": "贵金属部"})
    assert {"code", "kind", "name_zh"} <= set(errors_of(info))
    assert [e.action for e in AuditEvent.objects.for_object(dept).order_by("id")] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
    ]


def test_only_coordinator_manages_departments(dept_staff, member_a_admin, dept_business):
    for actor in (dept_staff, member_a_admin):
        with pytest.raises(PermissionDenied):
            services.department_update(actor=actor, department=dept_business, data={"name_zh": "改"})
        with pytest.raises(PermissionDenied):
            services.liaison_create(actor=actor, department=dept_business, name="某人")
    dept_business.refresh_from_db()
    assert dept_business.name_zh == "有色金属部"
    assert not Liaison.objects.exists()


def test_business_areas_and_liaisons(coordinator, dept_business, dept_mm):
    before = Department.objects.get(pk=dept_business.pk).updated_at
    copper = services.business_area_create(actor=coordinator, department=dept_business, name_zh="铜")
    alu = services.business_area_create(actor=coordinator, department=dept_business, name_zh="铝")
    with pytest.raises(ValidationError):
        services.business_area_create(actor=coordinator, department=dept_business, name_zh="铜")
    person = services.liaison_create(
        actor=coordinator,
        department=dept_business,
        business_area=copper,
        name="林涛",
        phone="021-68690001",
        email="lt@shfe.example",
    )
    assert Department.objects.get(pk=dept_business.pk).updated_at > before
    other_area = services.business_area_create(actor=coordinator, department=dept_mm, name_zh="会员管理")
    with pytest.raises(ValidationError) as info:
        services.liaison_update(actor=coordinator, liaison=person, data={"business_area": other_area})
    assert "business_area" in errors_of(info)
    with pytest.raises(ValidationError) as info:
        services.liaison_create(actor=coordinator, department=dept_business, name="某", email="bad")
    assert "email" in errors_of(info)

    services.business_area_reorder(actor=coordinator, department=dept_business, ordered_ids=[alu.pk, copper.pk])
    assert list(dept_business.business_areas.order_by("sort_order").values_list("name_zh", flat=True)) == ["铝", "铜"]
    with pytest.raises(ValidationError):
        services.business_area_reorder(actor=coordinator, department=dept_business, ordered_ids=[alu.pk])

    services.liaison_publish(actor=coordinator, liaison=person, published=False)
    person.refresh_from_db()
    assert not person.is_published
    services.business_area_delete(actor=coordinator, business_area=copper)
    person.refresh_from_db()
    assert person.business_area is None  # the person stays, without an area
    services.liaison_delete(actor=coordinator, liaison=person)
    assert not Liaison.objects.exists()
    assert BusinessArea.objects.filter(department=dept_business).count() == 1


def test_department_reorder(coordinator, dept_mm, dept_business, dept_msc):
    ids = [dept_msc.pk, dept_business.pk, dept_mm.pk]
    services.department_reorder(actor=coordinator, ordered_ids=ids)
    assert list(Department.objects.order_by("sort_order").values_list("pk", flat=True)) == ids
    assert services.move_in_order(ids, dept_mm.pk, "up") == [dept_msc.pk, dept_mm.pk, dept_business.pk]
    assert services.move_in_order(ids, dept_msc.pk, "up") == ids  # already first
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, target_id="").get()
    assert event.changes["order"][1] == ids
