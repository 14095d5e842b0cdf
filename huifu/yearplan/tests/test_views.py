"""Pages and permissions: staff read, the coordinator edits and freezes, members see nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from huifu.accounts.system import system_actor
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.yearplan import demo, services
from huifu.yearplan.models import ArrangementYear, YearStatus
from huifu.yearplan.render_docx import docx_text

pytestmark = pytest.mark.django_db


def test_staff_read_the_year_and_download_it_members_and_anonymous_do_not(
    client, plan_2023, dept_staff, coordinator, member_a_admin, partner_user, regulator
):
    for url in ("/yearplan/", "/yearplan/2023/", "/yearplan/2023/compare/"):
        assert_allowed(client, dept_staff, url)
        for user in (member_a_admin, partner_user, regulator, None):
            assert_denied(client, user, url)
    response = assert_allowed(client, dept_staff, "/yearplan/2023/document.docx")
    assert response["Content-Disposition"] == 'attachment; filename="2023-arrangements.docx"'
    assert "（背景信息）" in docx_text(response.content)
    response = assert_allowed(client, dept_staff, "/yearplan/2023/document.pdf")
    assert response.content.startswith(b"%PDF")
    for url in ("/yearplan/2023/document.docx", "/yearplan/2023/document.pdf"):
        assert_denied(client, member_a_admin, url)
        assert_denied(client, None, url)


def test_only_the_coordinator_edits_a_programme(client, plan_2023, coordinator, dept_staff, member_a_admin):
    url = "/yearplan/2023/programmes/monthly-talks/edit/"
    programme = plan_2023.programmes.get(key="monthly-talks")
    data = {
        "key": programme.key,
        "part": programme.part,
        "position": programme.position,
        "title": programme.title,
        "workflow": "",
        "background": programme.background,
        "introduction": programme.introduction,
        "procedure": "交易所主办，每月一期。",
        "support": "",
    }
    for user in (dept_staff, member_a_admin):
        assert_denied(client, user, url)
        assert_denied(client, user, url, method="post", data=data)
    programme.refresh_from_db()
    assert programme.procedure == "交易所主办。"
    assert_allowed(client, coordinator, url)
    assert_allowed(client, coordinator, url, method="post", data=data, ok=(302,))
    programme.refresh_from_db()
    assert programme.procedure == "交易所主办，每月一期。"
    page = client.get("/yearplan/2023/").content.decode()
    assert "交易所主办，每月一期。" in page
    assert "文中引用的记录数据" in page and "800-820-3618" in page


def test_an_unknown_placeholder_on_the_edit_page_is_named_next_to_its_field(client, plan_2023, coordinator):
    programme = plan_2023.programmes.get(key="trainings")
    login(client, coordinator)
    response = client.post(
        "/yearplan/2023/programmes/trainings/edit/",
        {
            "key": programme.key,
            "part": programme.part,
            "position": programme.position,
            "title": programme.title,
            "workflow": "",
            "background": "热线{hotlin}",
            "introduction": programme.introduction,
            "procedure": programme.procedure,
            "support": "",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "{hotlin}" in " ".join(errors["background"])
    programme.refresh_from_db()
    assert "{hotlin}" not in programme.background


def test_freeze_permission_both_ways_and_a_frozen_year_is_immutable(
    client, plan_2023, coordinator, dept_staff, records_2023
):
    assert_denied(client, dept_staff, "/yearplan/2023/freeze/", method="post")
    plan_2023.refresh_from_db()
    assert plan_2023.status == YearStatus.DRAFT
    assert_allowed(client, coordinator, "/yearplan/2023/freeze/", method="post", ok=(302,))
    plan_2023.refresh_from_db()
    assert plan_2023.is_frozen and services.frozen_intact(plan_2023)
    frozen_docx = client.get("/yearplan/2023/document.docx").content

    # Nobody edits a frozen year: not the coordinator, not the services.
    assert_denied(client, coordinator, "/yearplan/2023/programmes/one-stop/edit/")
    assert_denied(client, coordinator, "/yearplan/2023/edit/")
    with pytest.raises(ValidationError) as caught:
        services.programme_update(
            actor=system_actor(), programme=plan_2023.programmes.get(key="one-stop"), support="新增"
        )
    assert caught.value.code == "frozen" and "2023年度已冻结" in caught.value.messages[0]
    for attempt in (
        lambda: services.year_update(actor=system_actor(), plan=plan_2023, closing="改"),
        lambda: services.programme_create(actor=system_actor(), plan=plan_2023, key="x", part="awards", position=9),
        lambda: services.year_freeze(actor=system_actor(), plan=plan_2023),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.code == "frozen"
    plan_2023.refresh_from_db()
    assert plan_2023.closing != "改" and not plan_2023.programmes.filter(key="x").exists()

    # The live records change; the frozen document does not.
    from huifu.hotline.models import HotlineSetting

    HotlineSetting.objects.create(number="400-820-3618", effective_from=datetime.date(2023, 2, 1))
    records_2023["project"].products.clear()
    assert client.get("/yearplan/2023/document.docx").content == frozen_docx
    assert "800-820-3618" in docx_text(frozen_docx)


def test_year_on_year_comparison_shows_the_changed_sections(client, plan_2023, coordinator, dept_staff):
    services.year_freeze(actor=system_actor(), plan=plan_2023)
    login(client, coordinator)
    client.post("/yearplan/", {"year": 2024, "as_of": "2024-03-31"})
    plan_2024 = ArrangementYear.objects.get(year=2024)
    assert plan_2024.programmes.count() == 8
    demo.edit_2024(coordinator, plan_2024)
    talks = plan_2024.programmes.get(key="monthly-talks")
    services.programme_update(
        actor=coordinator, programme=talks, introduction=talks.introduction.replace("每月一课", "每月两课")
    )
    response = assert_allowed(client, dept_staff, "/yearplan/2024/compare/")
    changes = response.context["changes"]
    where = {c.where: c for c in changes}
    changed = where["投资者教育 · 一、大宗商品月月谈 · （项目介绍）"]
    assert changed.status == "changed"
    assert ("delete", "一") in changed.ops and ("insert", "两") in changed.ops
    assert ("insert", "线下相结合的形式") in changed.ops or any(
        "线下" in t for tag, t in changed.ops if tag == "insert"
    )
    # The incentive products are no longer cited in 2024; the facts are compared too.
    assert where["会员及市场服务 · 三、“上期强源助企”项目 · （项目介绍）"].status == "changed"
    year_fact = next(c for w, c in where.items() if w.endswith("{year}"))
    assert year_fact.status == "changed"
    assert all(c.status != "same" for c in changes)
    assert "投资者教育 · 二、面向重要市场参与主体系列培训 · （背景信息）" not in where  # unchanged, hidden
    html = response.content.decode()
    assert "<ins>两</ins>" in html and "<del>一</del>" in html


def test_the_year_list_keeps_a_constant_number_of_queries(client, plan_2023, dept_staff):
    login(client, dept_staff)

    def grow():
        for year in (2024, 2025, 2026):
            services.year_create(actor=system_actor(), year=year, as_of=datetime.date(year, 3, 31), copy_from=plan_2023)

    assert_constant_queries(client, "/yearplan/", grow)
