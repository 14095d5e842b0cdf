"""Pages, API, files and search: permissions both ways, isolation between member companies,
public pages hide what is not published, bad input answers a message, constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied, fetch
from huifu.core.testing.auth import login
from huifu.eduworks import services
from huifu.eduworks.models import Channel, ReachFigure, WorkState
from huifu.search.registry import search_all

from .conftest import png_upload

pytestmark = pytest.mark.django_db


def test_member_a_never_sees_member_b_drafts(client, make_work, member_a_admin, member_b_admin, coordinator):
    draft_b = make_work(author=member_b_admin, title="乙公司草稿：期权入门")
    services.work_file_add(actor=member_b_admin, work=draft_b, upload=png_upload())
    stored = draft_b.files.get().file
    published_b = make_work(author=member_b_admin, state="published", title="乙公司已发布：期权漫画")
    # pages
    response = assert_allowed(client, member_a_admin, reverse("eduworks:list"))
    assert "乙公司草稿" not in response.content.decode() and "乙公司已发布" in response.content.decode()
    assert_denied(client, member_a_admin, reverse("eduworks:detail", args=[draft_b.pk]), codes=(404,))
    assert_denied(client, member_a_admin, reverse("eduworks:edit", args=[draft_b.pk]), codes=(404,))
    assert_denied(client, member_a_admin, reverse("eduworks:submit", args=[draft_b.pk]), method="post", codes=(404,))
    assert_allowed(client, member_b_admin, reverse("eduworks:detail", args=[draft_b.pk]))
    assert_allowed(client, member_a_admin, reverse("eduworks:detail", args=[published_b.pk]))
    # a published work of B is not A's to edit or to enter reach for
    assert_denied(client, member_a_admin, reverse("eduworks:edit", args=[published_b.pk]), codes=(403,))
    assert_denied(
        client,
        member_a_admin,
        reverse("eduworks:reach_add", args=[published_b.pk]),
        method="post",
        data={"month": timezone.localdate().strftime("%Y-%m"), "channel": "wechat", "views": "3"},
        codes=(403,),
    )
    # files
    assert_denied(client, member_a_admin, reverse("files:download", args=[stored.pk]), codes=(404, 403))
    assert_allowed(client, member_b_admin, reverse("files:download", args=[stored.pk]))
    assert_allowed(client, coordinator, reverse("files:download", args=[stored.pk]))
    # API
    response = assert_allowed(client, member_a_admin, "/api/v1/eduworks/works/")
    titles = [w["title"] for w in response.json()["results"]]
    assert "乙公司草稿：期权入门" not in titles and "乙公司已发布：期权漫画" in titles
    assert_denied(client, member_a_admin, f"/api/v1/eduworks/works/{draft_b.pk}/", codes=(404,))
    assert_allowed(client, member_b_admin, f"/api/v1/eduworks/works/{draft_b.pk}/")
    # search
    groups = {g.provider.key: g for g in search_all(user=member_a_admin, text="乙公司")}
    hits = [h.title for h in groups["eduworks"].found.hits] if "eduworks" in groups else []
    assert "乙公司草稿：期权入门" not in hits and "乙公司已发布：期权漫画" in hits
    groups = {g.provider.key: g for g in search_all(user=member_b_admin, text="乙公司草稿")}
    assert [h.title for h in groups["eduworks"].found.hits] == ["乙公司草稿：期权入门"]


def test_permissions_both_ways(client, make_work, dept_staff, dept_head, coordinator, member_a_admin, partner_user):
    work = make_work(state="submitted", author=dept_staff)
    list_url = reverse("eduworks:list")
    for user in (coordinator, dept_staff, member_a_admin):
        assert_allowed(client, user, list_url)
    assert_denied(client, partner_user, list_url, codes=(403,))
    assert_denied(client, None, list_url)
    # the author may not start the review; another colleague may
    fetch(client, dept_staff, reverse("eduworks:review_start", args=[work.pk]), method="post")
    work.refresh_from_db()
    assert work.state == WorkState.SUBMITTED
    assert_denied(
        client, member_a_admin, reverse("eduworks:review_start", args=[work.pk]), method="post", codes=(404, 403)
    )
    assert_allowed(client, dept_head, reverse("eduworks:review_start", args=[work.pk]), method="post", ok=(302,))
    work.refresh_from_db()
    assert work.state == WorkState.IN_REVIEW and work.reviewer == dept_head
    # decision: only the reviewer; the author gets 403
    url = reverse("eduworks:review_decide", args=[work.pk])
    data = {"decision": "return", "note": "请补充风险提示"}
    assert_denied(client, dept_staff, url, method="post", data=data, codes=(403,))
    assert_denied(client, coordinator, url, method="post", data=data, codes=(403,))
    work.refresh_from_db()
    assert work.state == WorkState.IN_REVIEW
    assert_allowed(client, dept_head, url, method="post", data=data, ok=(302,))
    work.refresh_from_db()
    assert work.state == WorkState.RETURNED
    # dashboard: staff only
    assert_allowed(client, coordinator, reverse("eduworks:dashboard"))
    assert_denied(client, member_a_admin, reverse("eduworks:dashboard"), codes=(403,))
    assert_denied(client, member_a_admin, reverse("eduworks:dashboard_export"), codes=(403,))
    assert_denied(
        client,
        member_a_admin,
        reverse("eduworks:base_figure_add"),
        method="post",
        data={"month": "2026-01"},
        codes=(403,),
    )


def test_decision_form_errors_show_on_the_page(client, make_work, coordinator):
    work = make_work(state="in_review")
    login(client, coordinator)
    r = client.post(reverse("eduworks:review_decide", args=[work.pk]), {"decision": "approve", "ticked": ["accurate"]})
    assert r.status_code == 400
    assert "ticked" in r.context["decision_form"].errors
    r = client.post(reverse("eduworks:review_decide", args=[work.pk]), {"decision": "return", "note": ""})
    assert r.status_code == 400 and "note" in r.context["decision_form"].errors
    work.refresh_from_db()
    assert work.state == WorkState.IN_REVIEW


def test_member_creates_and_submits_through_pages(client, member_a_admin, cu):
    login(client, member_a_admin)
    r = client.post(
        reverse("eduworks:create"),
        {
            "kind": "video",
            "title": "套期保值微课",
            "summary": "五节微课",
            "products": [cu.pk],
            "audiences": ["industry"],
            "rights_owner": "甲期货",
            "licence": "owned",
        },
    )
    assert r.status_code == 302
    work = member_a_admin.organisation.edu_works.get()
    r = client.post(reverse("eduworks:submit", args=[work.pk]))
    assert r.status_code == 400 and r.context["submit_errors"]
    r = client.post(
        reverse("eduworks:author_add", args=[work.pk]), {"kind": "member", "name": "陈分析", "affiliation": ""}
    )
    assert r.status_code == 400 and "affiliation" in r.context["author_form"].errors
    client.post(
        reverse("eduworks:author_add", args=[work.pk]),
        {"kind": "member", "name": "陈分析", "affiliation": "甲期货研究所"},
    )
    client.post(
        reverse("eduworks:edit", args=[work.pk]),
        {
            "kind": "video",
            "title": "套期保值微课",
            "summary": "五节微课",
            "products": [cu.pk],
            "rights_owner": "甲期货",
            "licence": "owned",
            "third_party_cleared": "on",
        },
    )
    r = client.post(reverse("eduworks:submit", args=[work.pk]))
    assert r.status_code == 302
    work.refresh_from_db()
    assert work.state == WorkState.SUBMITTED and work.submitted_by == member_a_admin


def test_reach_entry_messages_on_page_and_api(client, make_work, coordinator):
    today = timezone.localdate()
    work = make_work(state="published", published_on=today.replace(day=1))
    login(client, coordinator)
    url = reverse("eduworks:reach_add", args=[work.pk])
    data = {"month": today.strftime("%Y-%m"), "channel": "wechat", "views": "1200", "plays": "0"}
    assert client.post(url, data).status_code == 302
    r = client.post(url, data)
    assert r.status_code == 400 and "month" in r.context["reach_form"].errors
    r = client.post(url, {**data, "channel": "app", "views": "-5"})
    assert r.status_code == 400 and "views" in r.context["reach_form"].errors
    r = client.post(
        f"/api/v1/eduworks/works/{work.pk}/reach/", {**data, "channel": "wechat"}, content_type="application/json"
    )
    assert r.status_code == 400 and "month" in r.json()["error"]["fields"]
    r = client.post(
        f"/api/v1/eduworks/works/{work.pk}/reach/",
        {**data, "month": today.isoformat(), "channel": "app", "views": -1},
        content_type="application/json",
    )
    assert r.status_code == 400 and "views" in r.json()["error"]["fields"]
    r = client.post(
        f"/api/v1/eduworks/works/{work.pk}/reach/",
        {"month": today.isoformat(), "channel": "app", "views": 9},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert ReachFigure.objects.filter(work=work).count() == 2


def test_public_pages_hide_unpublished(client, make_work, cu, rb):
    works = {
        state: make_work(state=state, title=f"作品-{state}")
        for state in ("draft", "submitted", "in_review", "returned", "approved", "published", "withdrawn")
    }
    other = make_work(state="published", title="螺纹钢微课", kind="course", products=[rb])
    client.logout()
    r = client.get(reverse("eduworks_public:list"))
    assert r.status_code == 200
    body = r.content.decode()
    assert "作品-published" in body and "螺纹钢微课" in body
    for state, work in works.items():
        detail = client.get(reverse("eduworks_public:detail", args=[work.pk]))
        if state == "published":
            assert detail.status_code == 200
        else:
            assert f"作品-{state}" not in body and detail.status_code == 404, state
    body = client.get(reverse("eduworks_public:list"), {"kind": "course"}).content.decode()
    assert "螺纹钢微课" in body and "作品-published" not in body
    body = client.get(reverse("eduworks_public:list"), {"product": cu.pk}).content.decode()
    assert "螺纹钢微课" not in body and "作品-published" in body
    assert other.is_published


def test_lists_constant_queries(client, make_work, coordinator, member_a_admin, cu, rb):
    make_work(state="published", author=member_a_admin)
    counter = iter(range(100))

    def grow():
        n = next(counter)
        make_work(state="published", author=member_a_admin, title=f"作品{n}", products=[cu, rb])
        make_work(author=member_a_admin, title=f"草稿{n}")

    login(client, member_a_admin)
    assert_constant_queries(client, reverse("eduworks:list"), grow)
    login(client, coordinator)
    assert_constant_queries(client, reverse("eduworks:list"), grow)
    assert_constant_queries(client, "/api/v1/eduworks/works/", grow)
    client.logout()
    assert_constant_queries(client, reverse("eduworks_public:list"), grow)
    login(client, coordinator)
    assert_constant_queries(client, reverse("eduworks:dashboard"), grow)


def test_home_card_lists_works_waiting_for_my_review(client, make_work, dept_staff, coordinator):
    make_work(state="submitted", author=dept_staff, title="等待审核的漫画")
    from huifu.core.home import cards_for

    card = {c.key: c for c in cards_for(coordinator)}["eduworks.works"]
    assert card.content.rows[0].count == 1
    card = {c.key: c for c in cards_for(dept_staff)}["eduworks.works"]
    assert card.content.rows[0].count == 0  # the author's own work is not theirs to review
    login(client, coordinator)
    body = client.get(reverse("eduworks:list"), {"waiting": "my_review"}).content.decode()
    assert "等待审核的漫画" in body


def test_publish_and_withdraw_pages(client, make_work, coordinator, member_a_admin):
    work = make_work(state="approved", author=member_a_admin)
    login(client, member_a_admin)
    assert (
        client.post(
            reverse("eduworks:publish", args=[work.pk]), {"channel": "website", "published_on": "2026-01-05"}
        ).status_code
        == 403
    )
    login(client, coordinator)
    r = client.post(reverse("eduworks:publish", args=[work.pk]), {"channel": "website", "published_on": ""})
    assert r.status_code == 400
    r = client.post(
        reverse("eduworks:publish", args=[work.pk]),
        {"channel": Channel.WEBSITE, "published_on": timezone.localdate().isoformat()},
    )
    assert r.status_code == 302
    r = client.post(reverse("eduworks:withdraw", args=[work.pk]), {"reason": ""})
    assert r.status_code == 400
    work.refresh_from_db()
    assert work.state == WorkState.PUBLISHED
