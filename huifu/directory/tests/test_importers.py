import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from huifu.audit.models import AuditAction, AuditEvent
from huifu.directory import importers
from huifu.directory.models import Contact, ContactRole, Organisation, OrganisationKind, OrganisationStatus
from huifu.directory.regions import Region
from huifu.directory.xlsx import ImportFileError, export_contacts, export_organisations, template

from .helpers import CONTACT_HEADERS, ORG_HEADERS, org_row, read_xlsx, uscc, xlsx_bytes

pytestmark = pytest.mark.django_db


def run_orgs(actor, content):
    return importers.import_organisations(actor=actor, source=io.BytesIO(content), file_name="orgs.xlsx")


def run_contacts(actor, content):
    return importers.import_contacts(actor=actor, source=io.BytesIO(content), file_name="contacts.xlsx")


def test_good_import_creates_and_updates(coordinator, org_a):
    content = xlsx_bytes(
        ORG_HEADERS,
        [
            org_row("丙期货有限公司", "0303", uscc("30303030")),
            [
                "futures_company",
                "甲期货有限公司",
                "Alpha",
                "甲",
                "0101",
                "",
                "shanghai",
                "active",
                "a@a.example",
                "",
                "",
            ],
            org_row("某大学", kind="高校", region="北京"),
            ["证监局", "中国证券监督管理委员会浙江监管局", "", "", "", "", "Zhejiang", "", "", "", ""],
        ],
    )
    result = run_orgs(coordinator, content)
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged) == (4, 3, 1, 0)
    org_a.refresh_from_db()
    assert (org_a.name_en, org_a.email) == ("Alpha", "a@a.example")
    bureau = Organisation.objects.get(name_zh="中国证券监督管理委员会浙江监管局")
    assert (bureau.kind, bureau.region, bureau.status) == (OrganisationKind.CSRC_BUREAU, Region.ZHEJIANG, "active")
    summary = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert summary.changes["created"] == 3 and summary.changes["updated"] == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == 3


def test_a_bad_row_imports_nothing_and_reports_rows(coordinator, org_a, org_b):
    content = xlsx_bytes(
        ORG_HEADERS,
        [
            org_row("丙期货有限公司", "0303", uscc("30303030")),  # row 2: fine
            org_row("丁期货有限公司", "", ""),  # row 3: no member number
            org_row("戊期货有限公司", "0505", "91350100M000100Y44"),  # row 4: bad check character
            org_row("己期货有限公司", "0303"),  # row 5: repeats row 2's number
            org_row("乙期货有限公司", "0101"),  # row 6: A's number, B's name
            ["火星机构", "辛公司", "", "", "", "", "", "", "", "", ""],  # row 7: unknown kind
            ["", "", "", "", "", "", "", "", "", "", ""],  # blank rows are skipped
            org_row("", "0808"),  # row 9: no name
        ],
    )
    result = run_orgs(coordinator, content)
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "会员号"),
        (4, "统一社会信用代码"),
        (5, "会员号"),
        (6, "中文名称"),
        (7, "类型"),
        (9, "中文名称"),
    }
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)
    assert any("check character" in e.message for e in result.errors if e.row == 4)
    assert any("row 2" in e.message for e in result.errors if e.row == 5)
    assert any("乙期货有限公司" in e.message for e in result.errors if e.row == 6)
    assert Organisation.objects.count() == 2
    assert not AuditEvent.objects.exists()


def test_two_rows_matching_the_same_organisation_are_refused(coordinator, org_a):
    code = uscc("70707070")
    org_a.uscc = code
    org_a.save()
    content = xlsx_bytes(ORG_HEADERS, [org_row("甲期货有限公司", "0101", code), org_row("甲新名", "0909", code)])
    result = run_orgs(coordinator, content)
    assert {e.row for e in result.errors} == {3}


def test_contacts_import(coordinator, org_a, org_b):
    Contact.objects.create(organisation=org_a, name="旧主要", email="old@alpha.example", is_primary=True)
    content = xlsx_bytes(
        CONTACT_HEADERS,
        [
            ["0101", "张三", "机构负责人", "总经理", "021-1", "zs@alpha.example", "是"],
            ["乙期货有限公司", "李四", "compliance", "", "", "", "否"],
            ["0101", "旧主要", "", "", "", "old@alpha.example", ""],
        ],
    )
    result = run_contacts(coordinator, content)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 1)
    zhang = Contact.objects.get(email="zs@alpha.example")
    assert zhang.is_primary and zhang.role == ContactRole.PRINCIPAL and zhang.organisation == org_a
    assert not Contact.objects.get(email="old@alpha.example").is_primary
    assert Contact.objects.get(name="李四").organisation == org_b


def test_contacts_import_errors(coordinator, org_a):
    content = xlsx_bytes(
        CONTACT_HEADERS,
        [
            ["9999", "张三", "", "", "", "", ""],  # unknown organisation
            ["0101", "", "", "", "", "", ""],  # no name
            ["0101", "王五", "", "", "", "w@x.example", "是"],
            ["0101", "王六", "", "", "", "w@x.example", "是"],  # repeats e-mail and primary
            ["0101", "赵七", "boss", "", "", "bad-mail", "也许"],  # bad role, e-mail, yes/no
        ],
    )
    result = run_contacts(coordinator, content)
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (2, "机构名称或会员号"),
        (3, "姓名"),
        (5, "电子邮箱"),
        (5, "主要联系人"),
        (6, "角色"),
        (6, "电子邮箱"),
        (6, "主要联系人"),
    }
    assert not Contact.objects.exists()


def test_not_an_xlsx_is_refused():
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        importers.read_sheet(io.BytesIO(b"name,member\nfoo,0101\n"), importers.ORGANISATION_COLUMNS)


def test_broken_zip_is_refused_with_a_clear_message():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ImportFileError, match="could not be read"):
        importers.read_sheet(io.BytesIO(buffer.getvalue()), importers.ORGANISATION_COLUMNS)
    truncated = xlsx_bytes(ORG_HEADERS, [])[:300]
    with pytest.raises(ImportFileError, match="could not be read"):
        importers.read_sheet(io.BytesIO(truncated), importers.ORGANISATION_COLUMNS)


def test_wrong_headers_are_refused():
    content = xlsx_bytes(["名称", "会员号"], [["甲", "0101"]])
    with pytest.raises(ImportFileError) as info:
        importers.read_sheet(io.BytesIO(content), importers.ORGANISATION_COLUMNS)
    assert "类型" in str(info.value) and "名称" in str(info.value)


def test_only_coordinator_imports(dept_staff, member_a_admin):
    content = xlsx_bytes(ORG_HEADERS, [org_row("丙期货有限公司", "0303")])
    for actor in (dept_staff, member_a_admin):
        with pytest.raises(PermissionDenied):
            run_orgs(actor, content)
    assert not Organisation.objects.filter(name_zh="丙期货有限公司").exists()


def test_template_has_the_documented_headers_and_imports_as_empty(coordinator):
    rows = read_xlsx(template(importers.ORGANISATION_COLUMNS, "机构"))
    assert rows == [["类型*", "中文名称*", *ORG_HEADERS[2:]]]
    result = run_orgs(coordinator, template(importers.ORGANISATION_COLUMNS, "机构"))
    assert result.ok and result.rows == 0


def test_round_trip_export_then_import_changes_nothing(coordinator, org_a, org_b, association, csrc_shanghai):
    org_a.uscc = uscc("12121212")
    org_a.email = "office@alpha.example"
    org_a.save()
    Contact.objects.create(
        organisation=org_a,
        name="张三",
        email="zs@alpha.example",
        is_primary=True,
        role=ContactRole.PRINCIPAL,
        title="总经理",
        phone="021-1",
    )
    Contact.objects.create(organisation=association, name="协会人", role=ContactRole.OTHER)
    Organisation.objects.filter(pk=org_b.pk).update(status=OrganisationStatus.SUSPENDED)
    orgs_file = export_organisations(Organisation.objects.order_by("pk"))
    contacts_file = export_contacts(Contact.objects.select_related("organisation").order_by("pk"))
    before_orgs = list(Organisation.objects.order_by("pk").values())
    before_contacts = list(Contact.objects.order_by("pk").values())

    result = run_orgs(coordinator, orgs_file)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    result = run_contacts(coordinator, contacts_file)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(Organisation.objects.order_by("pk").values()) == before_orgs
    assert list(Contact.objects.order_by("pk").values()) == before_contacts

    # And into an empty directory the same files recreate the same records.
    Contact.objects.all().delete()
    result = run_contacts(coordinator, contacts_file)
    assert result.created == 2
    assert sorted(Contact.objects.values_list("name", "email", "role", "title", "phone", "is_primary")) == sorted(
        (c["name"], c["email"], c["role"], c["title"], c["phone"], c["is_primary"]) for c in before_contacts
    )
