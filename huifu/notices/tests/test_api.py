"""The REST API: scoping, permission matrix, validation errors, state errors."""

from __future__ import annotations

import pytest

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.notices.models import AudienceKind, Notice, NoticeRead, NoticeStatus
from huifu.notices.services import notice_mark_read
from huifu.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

READERS = ["public_user", "member_a_admin", "member_b_contact", "partner_user", "regulator"]
STAFF = ["dept_staff", "dept_head", "finance_user", "coordinator"]
ISSUERS = {"dept_head", "coordinator"}
EDITORS = {"dept_staff", "dept_head", "coordinator"}


def persona(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.fixture
def named_to_a(make_notice, org_a):
    return make_notice(title="致甲公司", audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a])


@pytest.fixture
def business_draft(make_notice, dept_staff):
    return make_notice(publish=False, actor=dept_staff, title="业务部草稿")


def test_list_is_scoped(client, make_notice, named_to_a, member_a_admin, member_b_contact, public_user, coordinator):
    make_notice(title="公开", audience_kind=AudienceKind.PUBLIC)
    make_notice(title="草稿", publish=False)

    def titles(user):
        response = assert_allowed(client, user, "/api/v1/notices/")
        return {row["title"] for row in response.json()["results"]}

    assert titles(member_a_admin) == {"致甲公司", "公开"}
    assert titles(member_b_contact) == {"公开"}
    assert titles(public_user) == {"公开"}
    assert titles(coordinator) == {"致甲公司", "公开", "草稿"}


def test_list_marks_read_and_filters_unread(client, make_notice, member_a_admin):
    read = make_notice(title="已读")
    make_notice(title="未读")
    notice_mark_read(actor=member_a_admin, notice=read)
    response = assert_allowed(client, member_a_admin, "/api/v1/notices/")
    assert {row["title"]: row["is_read"] for row in response.json()["results"]} == {"已读": True, "未读": False}
    response = client.get("/api/v1/notices/", {"unread": "1"})
    assert [row["title"] for row in response.json()["results"]] == ["未读"]


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_detail_matrix(request, client, named_to_a, name):
    user = persona(request, name)
    url = f"/api/v1/notices/{named_to_a.pk}/"
    if name in ("member_a_admin", *STAFF):
        response = assert_allowed(client, user, url)
        assert response.json()["body"].startswith("第一段")
    else:
        assert_denied(client, user, url, codes=(404,))


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_mark_read_matrix(request, client, named_to_a, name):
    user = persona(request, name)
    url = f"/api/v1/notices/{named_to_a.pk}/read/"
    if name == "member_a_admin":
        first = assert_allowed(client, user, url, method="post")
        second = client.post(url)
        assert first.json()["created"] is True and second.json()["created"] is False
        assert NoticeRead.objects.filter(user=user).count() == 1
    else:
        assert_denied(client, user, url, method="post", codes=(404,))
        assert not NoticeRead.objects.exists()


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_create_matrix(request, client, name):
    user = persona(request, name)
    data = {"title": "接口通知", "body": "正文", "audience_kind": "all_members"}
    if name in STAFF:
        response = assert_allowed(
            client, user, "/api/v1/notices/", method="post", data=data, content_type="application/json", ok=(201,)
        )
        assert response.json()["status"] == NoticeStatus.DRAFT
        assert Notice.objects.get().created_by == user
    else:
        assert_denied(
            client, user, "/api/v1/notices/", method="post", data=data, content_type="application/json", codes=(403,)
        )
        assert not Notice.objects.exists()


def test_create_with_unknown_organisation_names_the_field(client, coordinator, org_a):
    login(client, coordinator)
    response = client.post(
        "/api/v1/notices/",
        {
            "title": "通知",
            "body": "正文",
            "audience_kind": "organisations",
            "audience_organisations": [org_a.pk, 99999],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "audience_organisations" in error["fields"]
    assert not Notice.objects.exists()


def test_create_with_duplicate_doc_number_is_400(client, coordinator, make_notice):
    make_notice(doc_number="上期发〔2023〕61号")
    login(client, coordinator)
    response = client.post(
        "/api/v1/notices/",
        {"title": "通知", "body": "正文", "doc_number": "上期发〔2023〕61号"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "doc_number" in response.json()["error"]["fields"]


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_update_matrix(request, client, business_draft, org_a, name):
    user = persona(request, name)
    url = f"/api/v1/notices/{business_draft.pk}/"
    data = {"title": "接口修改", "audience_kind": "organisations", "audience_organisations": [org_a.pk]}
    if name in EDITORS:
        response = assert_allowed(client, user, url, method="patch", data=data, content_type="application/json")
        assert response.json()["audience_organisations"] == [org_a.pk]
        business_draft.refresh_from_db()
        assert business_draft.title == "接口修改"
    else:
        codes = (403,) if name in STAFF else (404,)
        assert_denied(client, user, url, method="patch", data=data, content_type="application/json", codes=codes)
        business_draft.refresh_from_db()
        assert business_draft.title == "业务部草稿"


def test_update_of_published_notice_is_refused(client, coordinator, make_notice):
    notice = make_notice(title="已发布")
    login(client, coordinator)
    response = client.patch(f"/api/v1/notices/{notice.pk}/", {"title": "改"}, content_type="application/json")
    assert response.status_code == 400
    notice.refresh_from_db()
    assert notice.title == "已发布"


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_publish_matrix(request, client, business_draft, member_a_admin, name, django_capture_on_commit_callbacks):
    user = persona(request, name)
    url = f"/api/v1/notices/{business_draft.pk}/publish/"
    if name in ISSUERS:
        with django_capture_on_commit_callbacks(execute=True):  # the fan-out job runs on commit
            response = assert_allowed(client, user, url, method="post")
        assert response.json()["status"] == NoticeStatus.PUBLISHED
        assert OutboxMessage.objects.filter(to=member_a_admin.email).count() == 1
        again = client.post(url)
        assert again.status_code == 400
        assert OutboxMessage.objects.filter(to=member_a_admin.email).count() == 1
    else:
        codes = (403,) if name in STAFF else (404,)
        assert_denied(client, user, url, method="post", codes=codes)
        business_draft.refresh_from_db()
        assert business_draft.is_draft and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_withdraw_matrix(request, client, make_notice, dept_staff, name):
    notice = make_notice(department=dept_staff.department)
    user = persona(request, name)
    url = f"/api/v1/notices/{notice.pk}/withdraw/"
    if name in ISSUERS:
        missing = assert_allowed(client, user, url, method="post", data={}, content_type="application/json", ok=(400,))
        assert "reason" in missing.json()["error"]["fields"]
        response = client.post(url, {"reason": "有误"}, content_type="application/json")
        assert response.status_code == 200 and response.json()["status"] == NoticeStatus.WITHDRAWN
    else:
        codes = (403,) if name in STAFF else (404,)
        assert_denied(
            client, user, url, method="post", data={"reason": "x"}, content_type="application/json", codes=codes
        )
        notice.refresh_from_db()
        assert notice.is_published


@pytest.mark.parametrize("name", ["anonymous", *READERS, *STAFF])
def test_read_status_matrix(request, client, make_notice, member_a_admin, org_a, name):
    notice = make_notice()
    notice_mark_read(actor=member_a_admin, notice=notice)
    user = persona(request, name)
    url = f"/api/v1/notices/{notice.pk}/read-status/"
    if name in STAFF:
        body = assert_allowed(client, user, url).json()
        rows = {row["organisation_id"]: row for row in body["results"]}
        assert rows[org_a.pk]["reader_count"] == 1
        assert body["totals"]["organisations_read"] == 1
    else:
        assert_denied(client, user, url, codes=(404,))


def test_api_list_queries_are_constant(client, make_notice, member_a_admin):
    make_notice()
    login(client, member_a_admin)
    assert_constant_queries(client, "/api/v1/notices/", lambda: [make_notice() for _ in range(4)])
