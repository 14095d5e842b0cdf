"""Pages: the permission matrix for every page, what each page shows and does, query counts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory, org_user
from huifu.notices.models import AudienceKind, Notice, NoticeAttachment, NoticeRead, NoticeStatus
from huifu.notices.services import notice_mark_read
from huifu.outbox.models import OutboxMessage

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

READERS = ["public_user", "member_a_admin", "member_b_contact", "partner_user", "regulator"]
STAFF = ["dept_staff", "dept_head", "finance_user", "coordinator"]


def persona(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


# --- Permission matrix ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_list_page(request, client, name):
    user = persona(request, name)
    url = reverse("notices:list")
    if user is None:
        assert_denied(client, user, url)
    else:
        assert_allowed(client, user, url)


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_detail_of_notice_named_to_company_a(request, client, make_notice, org_a, name):
    notice = make_notice(audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a])
    user = persona(request, name)
    url = reverse("notices:detail", args=[notice.pk])
    if name in ("member_a_admin", *STAFF):
        assert_allowed(client, user, url)
    else:
        assert_denied(client, user, url, codes=(404,))
    # A denied reader left no receipt; staff never leave one.
    assert NoticeRead.objects.filter(notice=notice).count() == (1 if name == "member_a_admin" else 0)


def test_missing_notice_reads_like_someone_elses(client, member_b_contact, make_notice, org_a):
    notice = make_notice(audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a])
    other = assert_denied(client, member_b_contact, reverse("notices:detail", args=[notice.pk]), codes=(404,))
    missing = assert_denied(client, member_b_contact, reverse("notices:detail", args=[notice.pk + 999]), codes=(404,))
    assert other.status_code == missing.status_code


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_mark_read_endpoint(request, client, make_notice, org_a, name):
    notice = make_notice(audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a])
    user = persona(request, name)
    url = reverse("notices:mark_read", args=[notice.pk])
    if name == "member_a_admin":
        assert_allowed(client, user, url, method="post", ok=(302,))
        assert NoticeRead.objects.filter(notice=notice, user=user).exists()
    else:
        assert_denied(client, user, url, method="post", codes=(404,))
        assert not NoticeRead.objects.exists()


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_manage_and_create_pages(request, client, name):
    user = persona(request, name)
    for url in (reverse("notices:manage"), reverse("notices:create")):
        if name in STAFF:
            assert_allowed(client, user, url)
        else:
            assert_denied(client, user, url, codes=(403,))


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_create_post(request, client, name):
    user = persona(request, name)
    data = {"title": "新通知", "body": "正文", "category": "notice", "audience_kind": "all_members"}
    url = reverse("notices:create")
    if name in STAFF:
        response = assert_allowed(client, user, url, method="post", data=data, ok=(302,))
        notice = Notice.objects.get()
        assert response["Location"] == reverse("notices:edit", args=[notice.pk])
        assert notice.created_by == user and notice.status == NoticeStatus.DRAFT
    else:
        assert_denied(client, user, url, method="post", data=data, codes=(403,))
        assert not Notice.objects.exists()


# Object pages for a draft written by the business department (dept_staff).
EDITORS = {"dept_staff", "dept_head", "coordinator"}
ISSUERS = {"dept_head", "coordinator"}


@pytest.fixture
def business_draft(make_notice, dept_staff):
    return make_notice(publish=False, actor=dept_staff, title="业务部草稿")


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_edit_page_and_post(request, client, business_draft, name):
    user = persona(request, name)
    url = reverse("notices:edit", args=[business_draft.pk])
    data = {"title": "改过", "body": "正文", "category": "notice", "audience_kind": "all_members"}
    if name in EDITORS:
        assert_allowed(client, user, url)
        assert_allowed(client, user, url, method="post", data=data, ok=(302,))
        business_draft.refresh_from_db()
        assert business_draft.title == "改过"
    else:
        codes = (403,) if name in STAFF else (404,)
        assert_denied(client, user, url, codes=codes)
        assert_denied(client, user, url, method="post", data=data, codes=codes)
        business_draft.refresh_from_db()
        assert business_draft.title == "业务部草稿"


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_attachment_add_and_remove(request, client, business_draft, name):
    user = persona(request, name)
    add = reverse("notices:attachment_add", args=[business_draft.pk])
    if name in EDITORS:
        assert_allowed(client, user, add, method="post", data={"file": pdf_upload()}, ok=(302,))
        attachment = NoticeAttachment.objects.get()
        remove = reverse("notices:attachment_remove", args=[business_draft.pk, attachment.pk])
        assert_allowed(client, user, remove, method="post", ok=(302,))
        assert not NoticeAttachment.objects.exists()
    else:
        codes = (403,) if name in STAFF else (404,)
        assert_denied(client, user, add, method="post", data={"file": pdf_upload()}, codes=codes)
        assert not NoticeAttachment.objects.exists()


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_publish_page(request, client, business_draft, member_a_admin, name, django_capture_on_commit_callbacks):
    user = persona(request, name)
    url = reverse("notices:publish", args=[business_draft.pk])
    if name in ISSUERS:
        page = assert_allowed(client, user, url)
        assert page.context["recipient_count"] >= 1
        with django_capture_on_commit_callbacks(execute=True):  # the fan-out job runs on commit
            assert_allowed(client, user, url, method="post", ok=(302,))
        business_draft.refresh_from_db()
        assert business_draft.is_published
        assert OutboxMessage.objects.filter(to=member_a_admin.email).count() == 1
    else:
        codes = (403,) if name in STAFF else (404,)
        assert_denied(client, user, url, codes=codes)
        assert_denied(client, user, url, method="post", codes=codes)
        business_draft.refresh_from_db()
        assert business_draft.is_draft
        assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_withdraw_page(request, client, make_notice, dept_staff, name):
    notice = make_notice(actor=None, department=dept_staff.department)
    user = persona(request, name)
    url = reverse("notices:withdraw", args=[notice.pk])
    if name in ISSUERS:
        assert_allowed(client, user, url)
        response = assert_allowed(client, user, url, method="post", data={"reason": ""})
        assert "reason" in response.context["form"].errors
        assert_allowed(client, user, url, method="post", data={"reason": "文号有误"}, ok=(302,))
        notice.refresh_from_db()
        assert notice.is_withdrawn and notice.withdrawn_reason == "文号有误"
    else:
        codes = (403,) if name in STAFF else (404,)
        assert_denied(client, user, url, codes=codes)
        assert_denied(client, user, url, method="post", data={"reason": "x"}, codes=codes)
        notice.refresh_from_db()
        assert notice.is_published


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_read_status_pages(request, client, make_notice, name):
    notice = make_notice()
    user = persona(request, name)
    for url in (
        reverse("notices:read_status", args=[notice.pk]),
        reverse("notices:read_status_export", args=[notice.pk]),
    ):
        if name in STAFF:
            assert_allowed(client, user, url)
        else:
            assert_denied(client, user, url, codes=(404,))


# --- What the pages do -----------------------------------------------------------------------


def test_detail_renders_body_safely_and_marks_read(client, make_notice, member_a_admin):
    notice = make_notice(body="第一段<script>alert(1)</script>\n\n第二段")
    login(client, member_a_admin)
    response = client.get(reverse("notices:detail", args=[notice.pk]))
    html = response.content.decode()
    assert "<p>第一段&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert "<p>第二段</p>" in html
    assert NoticeRead.objects.filter(notice=notice, user=member_a_admin).count() == 1
    client.get(reverse("notices:detail", args=[notice.pk]))
    assert NoticeRead.objects.filter(notice=notice, user=member_a_admin).count() == 1


def test_list_shows_unread_badge_and_filters(client, make_notice, member_a_admin):
    read = make_notice(title="已读的通知")
    make_notice(title="未读的通知")
    notice_mark_read(actor=member_a_admin, notice=read)
    login(client, member_a_admin)
    response = client.get(reverse("notices:list"))
    assert response.context["unread_count"] == 1
    response = client.get(reverse("notices:list"), {"show": "unread"})
    assert [n.title for n in response.context["page"].object_list] == ["未读的通知"]
    response = client.get(reverse("notices:list"), {"q": "已读"})
    assert [n.title for n in response.context["page"].object_list] == ["已读的通知"]


def test_htmx_mark_read_returns_the_badge(client, make_notice, member_a_admin):
    notice = make_notice()
    login(client, member_a_admin)
    response = client.post(reverse("notices:mark_read", args=[notice.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="read-{notice.pk}"' in response.content.decode()
    assert NoticeRead.objects.filter(notice=notice, user=member_a_admin).exists()


def test_create_form_shows_errors_next_to_fields(client, coordinator):
    login(client, coordinator)
    response = client.post(
        reverse("notices:create"),
        {"title": "", "body": "正文", "category": "notice", "audience_kind": "organisations"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "title" in form.errors and "audience_organisations" in form.errors
    assert not Notice.objects.exists()


def test_create_form_refuses_duplicate_doc_number(client, coordinator, make_notice):
    make_notice(doc_number="上期发〔2023〕61号")
    login(client, coordinator)
    response = client.post(
        reverse("notices:create"),
        {
            "doc_number": "上期发〔2023〕61号",
            "title": "重复",
            "body": "正文",
            "category": "notice",
            "audience_kind": "all_members",
        },
    )
    assert response.status_code == 200
    assert "doc_number" in response.context["form"].errors
    assert Notice.objects.count() == 1


def test_edit_of_published_notice_redirects_without_change(client, coordinator, make_notice):
    notice = make_notice(title="已发布")
    login(client, coordinator)
    response = client.post(
        reverse("notices:edit", args=[notice.pk]),
        {"title": "改", "body": "正文", "category": "notice", "audience_kind": "all_members"},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "已发布"


def test_publish_with_empty_audience_shows_the_problem(client, coordinator):
    from huifu.notices.services import notice_create_draft

    notice = notice_create_draft(actor=coordinator, title="无对象", body="正文", audience_kind="organisations")
    login(client, coordinator)
    response = client.post(reverse("notices:publish", args=[notice.pk]))
    assert response.status_code == 200 and response.context["errors"]
    notice.refresh_from_db()
    assert notice.is_draft


def test_read_status_export_is_a_workbook(client, coordinator, make_notice, member_a_admin, org_a, org_b):
    notice = make_notice()
    notice_mark_read(actor=member_a_admin, notice=notice)
    login(client, coordinator)
    response = client.get(reverse("notices:read_status_export", args=[notice.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert rows[org_a.name_zh][4] == 1 and rows[org_a.name_zh][8] == member_a_admin.email
    assert rows[org_b.name_zh][4] == 0


# --- Attachment downloads through the files app ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("member_a_admin", True),
        ("member_a_contact", True),
        ("coordinator", True),
        ("member_b_admin", False),
        ("partner_user", False),
        ("regulator", False),
        ("public_user", False),
    ],
)
def test_attachment_download(request, client, attached_notice, name, allowed):
    _notice, attachment = attached_notice
    user = request.getfixturevalue(name)
    url = reverse("files:download", args=[attachment.file_id])
    if allowed:
        response = assert_allowed(client, user, url)
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert_denied(client, user, url, codes=(404,))


def test_attachment_of_withdrawn_notice_is_no_longer_served(client, attached_notice, coordinator, member_a_admin):
    from huifu.notices.services import notice_withdraw

    notice, attachment = attached_notice
    notice_withdraw(actor=coordinator, notice=notice, reason="撤回")
    assert_denied(client, member_a_admin, reverse("files:download", args=[attachment.file_id]), codes=(404,))


def test_attachment_of_draft_is_not_served_to_audience(client, make_notice, coordinator, member_a_admin):
    from huifu.notices.services import notice_attachment_add

    draft = make_notice(publish=False)
    attachment = notice_attachment_add(actor=coordinator, notice=draft, upload=pdf_upload())
    assert_denied(client, member_a_admin, reverse("files:download", args=[attachment.file_id]), codes=(404,))


# --- Constant query counts --------------------------------------------------------------------


def test_member_list_queries_are_constant(client, make_notice, member_a_admin, org_a):
    make_notice()
    login(client, member_a_admin)

    def grow():
        for i in range(5):
            notice = make_notice(
                title=f"更多{i}", audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a]
            )
            if i % 2:
                notice_mark_read(actor=member_a_admin, notice=notice)

    assert_constant_queries(client, reverse("notices:list"), grow)


def test_staff_list_queries_are_constant(client, make_notice, coordinator, member_a_admin, dept_staff):
    make_notice()
    login(client, coordinator)

    def grow():
        for i in range(5):
            notice = make_notice(title=f"更多{i}", actor=None if i % 2 else dept_staff, publish=bool(i % 2))
            if notice.is_published:
                notice_mark_read(actor=member_a_admin, notice=notice)

    assert_constant_queries(client, reverse("notices:manage"), grow)


def test_read_status_queries_are_constant(client, make_notice, coordinator, org_a):
    notice = make_notice()
    login(client, coordinator)

    def grow():
        for i in range(5):
            org = OrganisationFactory()
            reader = org_user(org)
            org_user(org)
            if i % 2:
                notice_mark_read(actor=reader, notice=notice)

    assert_constant_queries(client, reverse("notices:read_status", args=[notice.pk]), grow)


def test_read_status_is_paginated(client, make_notice, coordinator):
    for _ in range(55):
        OrganisationFactory()
    notice = make_notice()
    login(client, coordinator)
    response = client.get(reverse("notices:read_status", args=[notice.pk]))
    assert len(response.context["page"].object_list) == 50
    response = client.get(reverse("notices:read_status", args=[notice.pk]), {"page": 2})
    assert len(response.context["page"].object_list) == 5
