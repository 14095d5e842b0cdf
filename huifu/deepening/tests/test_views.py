"""The pages end to end, regional supervision, member isolation and query counts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.core.testing.pdfs import assert_pdf_embeds_its_font
from huifu.deepening import services
from huifu.deepening.models import DeepeningPlan, PlanStatus

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_plan_through_the_pages(client, member_a_admin, coordinator, pool, make_profile, ent_jiangxi):
    profile = make_profile(ent_jiangxi)
    login(client, member_a_admin)
    today = timezone.localdate()
    response = client.post(
        reverse("deepening:plan_create"),
        {
            "title": "江西铜企深耕",
            "year": today.year,
            "period_start": today.isoformat(),
            "period_end": today.replace(month=12, day=31).isoformat(),
            "objectives": "帮助企业建立风险管理体系",
        },
    )
    plan = DeepeningPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    # Submitting an empty plan shows what is missing, changes nothing.
    response = client.post(reverse("deepening:plan_submit", args=[plan.pk]))
    assert response.status_code == 400 and "提交前请至少添加一家企业" in response.content.decode()
    client.post(reverse("deepening:enterprise_add", args=[plan.pk]), {"profile": profile.pk, "objectives": "专项辅导"})
    response = client.post(
        reverse("deepening:activity_add", args=[plan.pk]),
        {"kind": "training", "title": "套期保值培训", "planned_date": "1999-01-01"},
    )
    assert response.status_code == 400 and "计划期间" in response.content.decode()
    client.post(
        reverse("deepening:activity_add", args=[plan.pk]),
        {"kind": "training", "title": "套期保值培训", "planned_date": today.isoformat()},
    )
    client.post(reverse("deepening:line_add", args=[plan.pk]), {"item": "讲师费", "amount": "20000.00"})
    assert client.post(reverse("deepening:plan_submit", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    login(client, coordinator)
    response = client.post(reverse("deepening:plan_return", args=[plan.pk]), {"comment": "请补充培训大纲"})
    assert response.status_code == 302
    login(client, member_a_admin)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "请补充培训大纲" in page
    client.post(reverse("deepening:plan_submit", args=[plan.pk]))

    login(client, coordinator)
    response = client.post(
        reverse("deepening:plan_approve", args=[plan.pk]),
        {"pool": pool.pk, "amount": "600000.00", "selected": [str(profile.pk)]},
    )
    assert response.status_code == 400
    assert "500,000.00" in response.content.decode()  # the pool's own message (what is left), next to the amount
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    client.post(
        reverse("deepening:plan_approve", args=[plan.pk]),
        {"pool": pool.pk, "amount": "18000.00", "selected": [str(profile.pk)]},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED

    login(client, member_a_admin)
    activity = plan.activities.get()
    response = client.post(
        reverse("deepening:activity_report", args=[plan.pk, activity.pk]),
        {
            "outcome": "done",
            "done_date": today.isoformat(),
            "attendance": "28",
            "report": "顺利举办",
            "files": [pdf_upload()],
        },
    )
    assert response.status_code == 302
    client.post(reverse("deepening:plan_complete", args=[plan.pk]), {"summary": "企业已开始制定套保制度"})
    login(client, coordinator)
    client.post(reverse("deepening:plan_close", args=[plan.pk]), {"note": ""})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "顺利举办" in page and "签到表.pdf" in page


@pytest.fixture
def two_plans(make_plan, member_b_admin, ent_shanghai, ent_jiangxi, regulator, regulator_jiangxi):
    """Plan A (member A) with a Shanghai enterprise, plan B (member B) with a Jiangxi one; both
    approved with evidence; a draft plan of member A with a Shanghai enterprise."""
    return {
        "shanghai": make_plan(enterprises=[ent_shanghai], submit=True, title="上海钢铁深耕"),
        "jiangxi": make_plan(enterprises=[ent_jiangxi], submit=True, actor=member_b_admin, title="江西铜业深耕"),
        "draft": make_plan(enterprises=[], title="草稿计划"),
    }


def _approve_and_report(plan, coordinator, pool, actor):
    services.plan_approve(actor=coordinator, plan=plan, pool=pool, amount="1000.00")
    activity = plan.activities.get()
    services.activity_report(
        actor=actor, activity=activity, done_date=timezone.localdate(), attendance=5, files=[pdf_upload()]
    )
    return activity.evidence.get().file


def test_regulator_sees_only_its_region(
    client, two_plans, regulator, coordinator, pool, member_a_admin, member_b_admin
):
    sh, jx = two_plans["shanghai"], two_plans["jiangxi"]
    sh_file = _approve_and_report(sh, coordinator, pool, member_a_admin)
    jx_file = _approve_and_report(jx, coordinator, pool, member_b_admin)
    login(client, regulator)
    listing = client.get(reverse("deepening:plan_list")).content.decode()
    assert "上海钢铁深耕" in listing and "江西铜业深耕" not in listing and "草稿计划" not in listing
    assert_allowed(client, regulator, sh.get_absolute_url())
    assert_allowed(client, regulator, reverse("deepening:plan_pdf", args=[sh.pk]))
    assert_allowed(client, regulator, reverse("files:download", args=[sh_file.pk]))
    for url in (
        jx.get_absolute_url(),
        reverse("deepening:plan_pdf", args=[jx.pk]),
        reverse("files:download", args=[jx_file.pk]),
        two_plans["draft"].get_absolute_url(),
        reverse("api-deepening-plan-detail", args=[jx.pk]),
    ):
        assert_denied(client, regulator, url, codes=(404,))
    api = client.get(reverse("api-deepening-plan-list")).json()
    assert [row["title"] for row in api["results"]] == ["上海钢铁深耕"]
    workbook = load_workbook(io.BytesIO(client.get(reverse("deepening:plans_export", args=[sh.year])).content))
    titles = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert "上海钢铁深耕" in titles and "江西铜业深耕" not in titles
    profiles = client.get(reverse("api-deepening-profile-list")).json()
    assert [row["name"] for row in profiles["results"]] == ["上海某钢铁集团有限公司"]


def test_regulator_notes_visible_to_staff_not_member(client, two_plans, regulator, coordinator, member_a_admin):
    sh = two_plans["shanghai"]
    login(client, regulator)
    response = client.post(reverse("deepening:note_add", args=[sh.pk]), {"body": "请关注企业套保制度落地"})
    assert response.status_code == 302
    login(client, coordinator)
    assert "请关注企业套保制度落地" in client.get(sh.get_absolute_url()).content.decode()
    login(client, member_a_admin)
    assert "请关注企业套保制度落地" not in client.get(sh.get_absolute_url()).content.decode()
    assert_denied(client, member_a_admin, reverse("api-deepening-plan-notes", args=[sh.pk]), codes=(403,))
    # The Jiangxi plan is not the Shanghai regulator's: writing a note there answers 404.
    jx = two_plans["jiangxi"]
    assert_denied(
        client, regulator, reverse("deepening:note_add", args=[jx.pk]), method="post", data={"body": "x"}, codes=(404,)
    )
    assert jx.supervision_notes.count() == 0


def test_members_are_isolated(client, two_plans, coordinator, pool, member_a_admin, member_b_admin, member_b_contact):
    sh = two_plans["shanghai"]
    sh_file = _approve_and_report(sh, coordinator, pool, member_a_admin)
    login(client, member_b_admin)
    listing = client.get(reverse("deepening:plan_list")).content.decode()
    assert "江西铜业深耕" in listing and "上海钢铁深耕" not in listing
    profile = sh.enterprises.get().profile
    for user in (member_b_admin, member_b_contact):
        for url in (
            sh.get_absolute_url(),
            reverse("deepening:plan_pdf", args=[sh.pk]),
            reverse("files:download", args=[sh_file.pk]),
            profile.get_absolute_url(),
            reverse("api-deepening-plan-detail", args=[sh.pk]),
            reverse("api-deepening-profile-detail", args=[profile.pk]),
        ):
            assert_denied(client, user, url, codes=(404,))
    response = assert_denied(
        client,
        member_b_admin,
        reverse("deepening:contact_add", args=[profile.pk]),
        method="post",
        data={"contact_date": "2023-05-05", "channel": "phone", "participants": "x", "summary": "y"},
        codes=(404,),
    )
    assert response.status_code == 404 and profile.contacts.count() == 0
    workbook = load_workbook(io.BytesIO(client.get(reverse("deepening:plans_export", args=[sh.year])).content))
    titles = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert "上海钢铁深耕" not in titles and "江西铜业深耕" in titles


def test_export_has_approved_and_paid_amounts(
    client, two_plans, coordinator, pool, finance_user, member_a_admin, org_a
):
    from huifu.budget.services import allocation_for, invoice_register, payment_record

    sh = two_plans["shanghai"]
    _approve_and_report(sh, coordinator, pool, member_a_admin)
    allocation = allocation_for(sh)
    invoice_register(
        allocation=allocation,
        number="23310000000099990001",
        amount="800.00",
        issue_date=timezone.localdate(),
        file=pdf_upload("发票.pdf"),
        actor=member_a_admin,
    )
    payment_record(
        allocation=allocation,
        payee_name=org_a.name_zh,
        bank_name="工商银行",
        bank_account="6222020000",
        amount="800.00",
        paid_on=timezone.localdate(),
        reference="REF1",
        actor=finance_user,
    )
    login(client, coordinator)
    response = client.get(reverse("deepening:plans_export", args=[sh.year]))
    rows = {
        row[1]: row for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
    }
    assert rows["上海钢铁深耕"][7] == 1000 and rows["上海钢铁深耕"][8] == 800 and rows["上海钢铁深耕"][9] == 800
    assert rows["江西铜业深耕"][7] == 0 and rows["江西铜业深耕"][9] == 0


def test_pdf_summary(client, two_plans, coordinator):
    login(client, coordinator)
    response = client.get(reverse("deepening:plan_pdf", args=[two_plans["shanghai"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert_pdf_embeds_its_font(response.content)  # readable without an Asian font pack
    assert response["Cache-Control"] == "private, no-store"


def test_plan_list_runs_constant_queries(client, make_plan, coordinator, member_a_admin, ent_jiangxi, ent_yunnan):
    from huifu.core.testing.factories import OrganisationFactory
    from huifu.directory.models import OrganisationKind

    make_plan(enterprises=[ent_jiangxi], submit=True)
    counter = {"n": 0}

    def grow():
        for _ in range(3):
            counter["n"] += 1
            ent = OrganisationFactory(
                kind=OrganisationKind.ENTERPRISE, member_number=None, region="yunnan", name_zh=f"企业{counter['n']}"
            )
            make_plan(enterprises=[ent], submit=True, title=f"计划{counter['n']}")

    login(client, coordinator)
    assert_constant_queries(client, reverse("deepening:plan_list"), grow)
    assert_constant_queries(client, reverse("deepening:profile_list"), grow)
    assert_constant_queries(client, reverse("api-deepening-plan-list"), grow)
    login(client, member_a_admin)
    assert_constant_queries(client, reverse("deepening:plan_list"), grow)


def test_profile_pages(client, member_a_admin, coordinator, ent_jiangxi):
    login(client, member_a_admin)
    response = client.post(
        reverse("deepening:profile_create"),
        {
            "pending_name": "云南某橡胶加工有限公司",
            "pending_region": "yunnan",
            "industry": "橡胶加工",
            "products_of_interest": "天然橡胶, 20号胶",
            "situation": "obstacle",
            "obstacle_description": "",
        },
    )
    assert response.status_code == 200 and "请说明企业入市存在的障碍" in response.content.decode()
    response = client.post(
        reverse("deepening:profile_create"),
        {
            "pending_name": "云南某橡胶加工有限公司",
            "pending_region": "yunnan",
            "industry": "橡胶加工",
            "products_of_interest": "天然橡胶, 20号胶",
            "situation": "obstacle",
            "obstacle_description": "缺乏专业人员",
        },
    )
    assert response.status_code == 302
    from huifu.deepening.models import EnterpriseProfile

    profile = EnterpriseProfile.objects.get()
    response = client.post(
        reverse("deepening:contact_add", args=[profile.pk]),
        {
            "contact_date": timezone.localdate().isoformat(),
            "channel": "visit",
            "participants": "王经理",
            "summary": "了解障碍",
            "next_step": "每月回访",
        },
    )
    assert response.status_code == 302 and profile.contacts.count() == 1
    login(client, coordinator)
    response = client.post(reverse("deepening:register_enterprise", args=[profile.pk]), {"uscc": ""})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.enterprise.name_zh == "云南某橡胶加工有限公司"
