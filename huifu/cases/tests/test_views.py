"""Case pages and API: audiences, search and filters, staff actions, permission matrix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.cases import services
from huifu.cases.models import Case, CaseAudience, CaseStatus
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login

from .conftest import png_upload

pytestmark = pytest.mark.django_db

READERS = ["public_user", "partner_user", "member_a_admin", "member_b_contact", "regulator"]
STAFF = ["dept_staff", "dept_head", "coordinator"]


@pytest.fixture
def cases(make_case, coordinator):
    public = make_case(title="公开案例", audience=CaseAudience.PUBLIC)
    members = make_case(
        publish=False, title="会员案例", audience=CaseAudience.MEMBERS, industry="钢铁", products=["螺纹钢"]
    )
    services.case_file_add(actor=coordinator, case=members, upload=png_upload())
    members = services.case_publish(actor=coordinator, case=members)
    draft = make_case(publish=False, title="草稿案例")
    withdrawn = services.case_withdraw(actor=coordinator, case=make_case(title="撤下案例"), reason="过时")
    return {"public": public, "members": members, "draft": draft, "withdrawn": withdrawn}


def _titles(response):
    return {row["title"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", READERS + STAFF)
def test_each_audience_sees_its_cases(request, client, cases, persona):
    user = request.getfixturevalue(persona)
    expected = {"公开案例"}
    if persona in ("member_a_admin", "member_b_contact"):
        expected.add("会员案例")
    if persona in STAFF:
        expected |= {"会员案例", "草稿案例", "撤下案例"}
    login(client, user)
    assert _titles(client.get(reverse("api-case-list"))) == expected
    page = client.get(reverse("cases:list")).content.decode()
    for title in ("公开案例", "会员案例", "草稿案例", "撤下案例"):
        assert (title in page) is (title in expected)
    file_id = cases["members"].files.get().file_id
    if "会员案例" in expected:
        assert_allowed(client, user, cases["members"].get_absolute_url())
        assert_allowed(client, user, reverse("files:download", args=[file_id]))
    else:
        assert_denied(client, user, cases["members"].get_absolute_url(), codes=(404,))
        assert_denied(client, user, reverse("api-case-detail", args=[cases["members"].pk]), codes=(404,))
        assert_denied(client, user, reverse("files:download", args=[file_id]), codes=(404,))
    if persona not in STAFF:
        assert_denied(client, user, cases["draft"].get_absolute_url(), codes=(404,))
        assert_denied(client, user, cases["withdrawn"].get_absolute_url(), codes=(404,))


def test_anonymous_sees_nothing(client, cases):
    assert_denied(client, None, reverse("cases:list"))
    assert_denied(client, None, cases["public"].get_absolute_url())
    assert_denied(client, None, reverse("api-case-list"))


def test_search_and_filters(client, cases, member_a_admin):
    login(client, member_a_admin)
    assert _titles(client.get(reverse("api-case-list"), {"industry": "钢铁"})) == {"会员案例"}
    assert _titles(client.get(reverse("api-case-list"), {"product": "螺纹钢"})) == {"会员案例"}
    assert _titles(client.get(reverse("api-case-list"), {"q": "公开"})) == {"公开案例"}
    page = client.get(reverse("cases:list"), {"q": "公开"}).content.decode()
    assert "公开案例" in page and "会员案例" not in page


@pytest.mark.parametrize("persona", READERS)
def test_staff_pages_refused_to_readers(request, client, cases, persona):
    user = request.getfixturevalue(persona)
    assert_denied(client, user, reverse("cases:create"))
    assert_denied(client, user, reverse("cases:edit", args=[cases["public"].pk]))
    assert_denied(client, user, reverse("cases:publish", args=[cases["draft"].pk]), method="post")
    assert_denied(
        client, user, reverse("cases:withdraw", args=[cases["public"].pk]), method="post", data={"reason": "x"}
    )
    assert Case.objects.get(pk=cases["draft"].pk).status == CaseStatus.DRAFT
    assert Case.objects.get(pk=cases["public"].pk).status == CaseStatus.PUBLISHED


def test_dept_staff_drafts_but_does_not_publish(client, cases, dept_staff):
    assert_allowed(client, dept_staff, reverse("cases:create"))
    assert_denied(client, dept_staff, reverse("cases:publish", args=[cases["draft"].pk]), method="post", codes=(403,))
    assert Case.objects.get(pk=cases["draft"].pk).status == CaseStatus.DRAFT


def test_write_up_a_finished_plan_and_publish(client, coordinator, finished_plan, member_b_contact):
    login(client, coordinator)
    reference = f"deepening.deepeningplan:{finished_plan.pk}"
    page = client.get(reverse("cases:create"), {"source": reference})
    assert page.status_code == 200 and finished_plan.title in page.content.decode()
    response = client.post(
        reverse("cases:create"),
        {
            "source": reference,
            "title": "深耕计划案例",
            "summary": "摘要",
            "body": "正文",
            "industry": "有色金属",
            "products": "铜",
            "enterprise_label": "江西某铜业集团",
            "audience": "public",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.source == finished_plan
    client.post(reverse("cases:file_add", args=[case.pk]), {"file": png_upload(), "caption": "现场"})
    client.post(reverse("cases:publish", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.files.count() == 1
    login(client, member_b_contact)
    assert "深耕计划案例" in client.get(reverse("cases:list")).content.decode()


def test_missing_source_answers_404(client, coordinator):
    assert_denied(client, coordinator, reverse("cases:create") + "?source=deepening.deepeningplan:999", codes=(404,))


def test_case_list_constant_queries(client, make_case, member_a_admin, coordinator):
    make_case()
    counter = {"n": 0}

    def grow():
        for _ in range(3):
            counter["n"] += 1
            make_case(title=f"案例{counter['n']}")

    for user in (member_a_admin, coordinator):
        login(client, user)
        assert_constant_queries(client, reverse("cases:list"), grow)
        assert_constant_queries(client, reverse("api-case-list"), grow)
