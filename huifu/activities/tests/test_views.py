"""Activity pages and API: permission matrix both ways, partner isolation (pages, API, files),
forms, PDF, constant queries."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from django.urls import reverse

from huifu.activities import services
from huifu.activities.models import Activity, ActivityStatus, ActivityType
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.core.testing.pdfs import assert_pdf_embeds_its_font

from .conftest import LAST_WEEK, png_upload


@pytest.fixture
def people(
    coordinator,
    finance_user,
    dept_staff,
    dept_head,
    member_a_admin,
    member_b_admin,
    partner_user,
    regulator,
    public_user,
):
    return locals()


def test_list_page_matrix(client, people, make_activity, member_a_admin, member_b_admin):
    a = make_activity(member_a_admin, title="甲的论坛")
    make_activity(member_b_admin, title="乙的论坛")
    url = reverse("activities:list")
    for name in ("coordinator", "dept_staff", "finance_user"):
        page = assert_allowed(client, people[name], url).content.decode()
        assert "甲的论坛" in page and "乙的论坛" in page
    page = assert_allowed(client, people["member_a_admin"], url).content.decode()
    assert "甲的论坛" in page and "乙的论坛" not in page
    assert "甲的论坛" not in assert_allowed(client, people["partner_user"], url).content.decode()
    for name in ("regulator", "public_user"):
        assert_denied(client, people[name], url, codes=(403,))
    assert_denied(client, None, url)
    detail = reverse("activities:detail", args=[a.pk])
    assert_allowed(client, people["member_a_admin"], detail)
    assert_allowed(client, people["dept_staff"], detail)
    for name in ("member_b_admin", "partner_user"):
        assert_denied(client, people[name], detail, codes=(404,))
    assert_denied(client, people["public_user"], detail, codes=(403,))
    assert_denied(client, people["member_b_admin"], reverse("activities:pdf", args=[a.pk]), codes=(404,))


def test_apply_through_the_form(client, member_a_admin, forum_type):
    login(client, member_a_admin)
    data = {
        "activity_type": forum_type.pk,
        "title": "铜期权投资者报告会",
        "theme": "期权",
        "starts_on": "2030-05-01",
        "ends_on": "2030-05-01",
        "venue": "杭州",
        "speakers": "王分析师",
        "audience_industry": "50",
        "line_item_0": "场地费",
        "line_amount_0": "30000.00",
        "line_item_1": "",
        "line_amount_1": "",
    }
    response = client.post(reverse("activities:create"), data)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.requested_amount == 30000 and activity.audience_expected == {"industry": 50}
    bad = dict(data, line_amount_0="-1")
    response = client.post(reverse("activities:create"), bad)
    assert response.status_code == 200 and "budget_lines" not in response.context["form"].fields
    assert response.context["form"].non_field_errors()
    assert Activity.objects.count() == 1
    response = client.post(reverse("activities:submit", args=[activity.pk]), {"comment": ""})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED


def test_review_actions_matrix(client, people, make_activity, member_a_admin, pool):
    activity = make_activity(member_a_admin)
    url = reverse("activities:approve", args=[activity.pk])
    data = {"pool": pool.pk, "amount": "90000.00", "comment": ""}
    for name in ("dept_staff", "finance_user", "member_a_admin"):
        assert_denied(client, people[name], url, "post", data, codes=(403,))
    assert_denied(client, people["member_b_admin"], url, "post", data, codes=(404,))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED
    assert_allowed(client, people["dept_head"], url, "post", data, ok=(302,))
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.APPROVED and activity.approved_amount == 90000


def test_pool_exhaustion_shown_next_to_amount(client, coordinator, make_activity, member_a_admin, pool):
    from huifu.budget.services import pool_update

    activity = make_activity(member_a_admin)
    pool_update(pool=pool, amount="1000", actor=coordinator)
    login(client, coordinator)
    response = client.post(
        reverse("activities:approve", args=[activity.pk]), {"pool": pool.pk, "amount": "2000", "comment": ""}
    )
    assert response.status_code == 400
    assert "1,000.00" in str(response.context["approve_form"].errors["amount"])


def test_return_requires_comment(client, coordinator, make_activity, member_a_admin):
    activity = make_activity(member_a_admin)
    login(client, coordinator)
    response = client.post(reverse("activities:return", args=[activity.pk]), {"comment": ""})
    assert response.status_code == 400
    assert Activity.objects.get().status == ActivityStatus.SUBMITTED


def test_activity_files_isolated(client, approved_activity, member_a_admin, member_b_admin, partner_user, dept_staff):
    activity = services.activity_mark_held(actor=member_a_admin, activity=approved_activity)
    attached = services.activity_file_add(actor=member_a_admin, activity=activity, role="photo", upload=png_upload())
    url = reverse("files:download", args=[attached.file_id])
    assert_allowed(client, member_a_admin, url)
    assert_allowed(client, dept_staff, url)
    assert_denied(client, member_b_admin, url, codes=(404,))
    assert_denied(client, partner_user, url, codes=(404,))


def test_file_upload_page_refuses_wrong_kind(client, approved_activity, member_a_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.activity_mark_held(actor=member_a_admin, activity=approved_activity)
    login(client, member_a_admin)
    url = reverse("activities:file_add", args=[approved_activity.pk])
    response = client.post(url, {"role": "photo", "upload": SimpleUploadedFile("a.png", b"not an image")})
    assert response.status_code == 400
    assert client.post(url, {"role": "photo", "upload": png_upload()}).status_code == 302


def test_api_isolated(client, people, make_activity, member_a_admin, member_b_admin):
    a = make_activity(member_a_admin)
    make_activity(member_b_admin)
    body = assert_allowed(client, people["member_a_admin"], "/api/v1/activities/").json()
    assert [r["id"] for r in body["results"]] == [a.pk]
    assert len(assert_allowed(client, people["coordinator"], "/api/v1/activities/").json()["results"]) == 2
    assert_denied(client, people["member_b_admin"], f"/api/v1/activities/{a.pk}/", codes=(404,))
    assert_denied(client, people["regulator"], "/api/v1/activities/", codes=(403,))
    assert_denied(client, None, "/api/v1/activities/")
    detail = assert_allowed(client, people["member_a_admin"], f"/api/v1/activities/{a.pk}/").json()
    assert detail["budget_lines"][0] == {"item": "场地费", "amount": "80000.00"}


def test_types_pages_coordinator_only(client, people, forum_type):
    for url in (reverse("activities:types"), reverse("activities:type_edit", args=[forum_type.pk])):
        assert_allowed(client, people["coordinator"], url)
        for name in ("dept_staff", "member_a_admin"):
            assert_denied(client, people[name], url, codes=(403,))
    data = {
        "year": 2024,
        "kind": "salon",
        "name": "小型产业沙龙",
        "cap_per_activity": "50000",
        "line_caps": "场地费=10000",
        "required_fields": ["theme"],
        "is_active": "on",
    }
    assert_denied(client, people["dept_staff"], reverse("activities:type_create"), "post", data, codes=(403,))
    assert not ActivityType.objects.filter(name="小型产业沙龙").exists()
    assert_allowed(client, people["coordinator"], reverse("activities:type_create"), "post", data, ok=(302,))
    assert ActivityType.objects.get(name="小型产业沙龙").line_caps == {"场地费": "10000.00"}


def test_list_constant_queries(client, coordinator, make_activity, member_a_admin, member_b_admin):
    make_activity(member_a_admin)
    login(client, coordinator)

    def grow():
        for user in (member_a_admin, member_b_admin, member_b_admin):
            make_activity(user)

    assert_constant_queries(client, reverse("activities:list"), grow)


def test_pdf_summary_renders_chinese(client, accepted_activity, member_a_admin, tmp_path):
    login(client, member_a_admin)
    response = client.get(reverse("activities:pdf", args=[accepted_activity.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert_pdf_embeds_its_font(response.content)  # readable without an Asian font pack
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(response.content)
    if not shutil.which("pdftotext"):
        # make test installs poppler-utils where it can; CI (HUIFU_REQUIRE_BROWSER=1) must have it.
        assert os.environ.get("HUIFU_REQUIRE_BROWSER") != "1", "poppler-utils (pdftotext) is required"
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "有色金属产业链风险管理论坛" in text and "圆满完成" in text and "100,000.00" in text
    assert str(LAST_WEEK) in text
