"""Issue 10 point 4: the queue readable and quick to work — human kind names, select filters,
sorting (keyset, constant queries), saved filters, bulk assignment with per-item rules."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages

from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory
from huifu.tracking.kinds import kind_label, registered
from huifu.tracking.models import SavedQueueFilter, TrackedItem

from .conftest import at

pytestmark = pytest.mark.django_db

URL = "/queue/"
NEXT = re.compile(r'href="\?([^"]*after=[^"]+)" rel="next"')


def test_every_kind_the_apps_open_has_a_human_name():
    from huifu.activities import deadlines
    from huifu.deepening.services import plans
    from huifu.hotline.services import TRACKING_KIND as HOTLINE
    from huifu.incentives.services import participations
    from huifu.servicedesk.services.common import FORM_KIND, ITEM_KIND
    from huifu.visits.services import TRACKING_KIND as VISIT

    used = {
        HOTLINE,
        VISIT,
        FORM_KIND,
        ITEM_KIND,
        deadlines.REVIEW,
        deadlines.SUMMARY,
        deadlines.SUMMARY_REVIEW,
        deadlines.PAYMENT,
        participations.KIND_REVIEW,
        participations.KIND_ACCEPTANCE,
        participations.KIND_CLOSING,
        plans.REVIEW_KIND,
        plans.REVISION_KIND,
        plans.EXECUTION_KIND,
        plans.CLOSEOUT_KIND,
    }
    assert used <= registered()
    assert kind_label("activity_summary") == "活动总结待提交"
    assert kind_label("no_such_kind") == "其他事项"


def test_rows_name_the_kind_filters_are_selects(client, open_item, coordinator, dept_business, dept_staff, org_a):
    open_item(kind="feedback_item", title="条目甲", organisation=org_a, topic="交割", owner=dept_staff)
    open_item(target=OrganisationFactory(), kind="activity_summary", title="总结乙", topic="投教")
    login(client, coordinator)
    body = client.get(URL).content.decode()
    assert "会员之声意见条目" in body and "活动总结待提交" in body
    assert "feedback_item" not in body.split("<tbody>")[1] and "activity_summary" not in body.split("<tbody>")[1]
    for name in ("kind", "topic", "organisation", "department", "owner", "sort"):
        assert f'<select name="{name}"' in body, name
    assert '<option value="交割">交割</option>' in body
    assert 'data-filter-options="id_owner"' in body  # the owner picker is searchable
    assert "<optgroup" in body  # owners offered by department
    body = client.get(URL, {"kind": "activity_summary"}).content.decode()
    assert "总结乙" in body and "条目甲" not in body
    body = client.get(URL, {"topic": "交割"}).content.decode()
    assert "条目甲" in body and "总结乙" not in body
    body = client.get(URL, {"owner": dept_staff.pk}).content.decode()
    assert "条目甲" in body and "总结乙" not in body


def _walk(client, params):
    seen, url = [], URL + "?" + params
    while url:
        body = client.get(url).content.decode()
        seen += re.findall(r"事项\d+", body)
        found = NEXT.search(body)
        url = URL + "?" + found.group(1).replace("&amp;", "&") if found else ""
    return seen


PINYIN = {"安徽期货有限公司": 0, "北京期货有限公司": 1, "上海期货有限公司": 2}


def _sort_name(item) -> tuple:
    """The queue's company order: items without a company first, then names in pinyin order on
    PostgreSQL (ICU), by code point on SQLite (selectors.company_sort_name)."""
    from django.db import connection

    if item.organisation is None:
        return (-1, "")
    name = item.organisation.name_zh
    return (PINYIN[name], name) if connection.vendor == "postgresql" else (0, name)


@pytest.mark.parametrize("user_name", ["coordinator", "msc_user"])
def test_sorting_by_company_and_state_walks_every_item_once(
    client, open_item, monkeypatch, request, dept_msc, user_name
):
    from huifu.tracking.services import tracked_pause

    monkeypatch.setattr("huifu.tracking.views.PAGE_SIZE", 3)
    user = request.getfixturevalue(user_name)
    # Registered in the order 上海, 北京, 安徽: neither their ids nor their code points are in
    # pinyin order (安徽 an, 北京 bei, 上海 shang).
    orgs = [OrganisationFactory(name_zh=f"{city}期货有限公司") for city in ("上海", "北京", "安徽")]
    for n in range(10):
        item = open_item(
            target=OrganisationFactory(),
            organisation=orgs[n % 3] if n % 4 else None,
            department=dept_msc,
            received_at=at(2023, 9, 1 + n % 5),
            title=f"事项{n}",
        )
        if n % 3 == 0:
            tracked_pause(item=item, reason="等待会员补充", actor=None)
    login(client, user)
    items = list(TrackedItem.objects.all())
    by_company = sorted(items, key=lambda i: (_sort_name(i), i.organisation_id or 0, i.due_at, i.pk))
    assert _walk(client, "sort=company") == [i.title for i in by_company]
    by_state = sorted(items, key=lambda i: (i.status, i.due_at, i.pk))
    assert _walk(client, "sort=state") == [i.title for i in by_state]
    assert _walk(client, "sort=state&status=paused") == [i.title for i in by_state if i.status == "paused"]


def test_sorting_by_company_reads_names_in_the_readers_language(client, open_item, coordinator, dept_msc):
    """Chinese names in pinyin order where PostgreSQL has ICU (code points on SQLite); in English
    the English names in dictionary order, a company without one under its Chinese name."""
    from django.db import connection

    names = [
        ("上海期货有限公司", "Zenith Futures"),
        ("北京期货有限公司", "alpha Futures"),
        ("安徽期货有限公司", ""),
    ]
    for n, (zh, en) in enumerate(names):
        open_item(
            target=OrganisationFactory(),
            organisation=OrganisationFactory(name_zh=zh, name_en=en),
            department=dept_msc,
            received_at=at(2023, 9, 1),
            title=f"事项{n}",
        )
    login(client, coordinator)
    chinese = _walk(client, "sort=company")
    if connection.vendor == "postgresql":
        assert chinese == ["事项2", "事项1", "事项0"]  # 安徽, 北京, 上海
    else:
        assert chinese == ["事项0", "事项1", "事项2"]  # 上 U+4E0A, 北 U+5317, 安 U+5B89
    client.cookies["django_language"] = "en"
    english = _walk(client, "sort=company")
    if connection.vendor == "postgresql":
        assert english == ["事项1", "事项0", "事项2"]  # alpha, Zenith, 安徽…
    else:
        assert english == ["事项0", "事项1", "事项2"]  # "Z" < "a" < CJK by code point


@pytest.mark.parametrize("sort", ["company", "state"])
def test_sorted_queue_costs_constant_queries(client, open_item, coordinator, msc_user, dept_msc, sort):
    open_item(target=OrganisationFactory(), department=dept_msc, organisation=OrganisationFactory())

    def grow():
        for _ in range(5):
            open_item(target=OrganisationFactory(), department=dept_msc, organisation=OrganisationFactory())

    for user in (coordinator, msc_user):
        login(client, user)
        client.get(URL)  # the topic filter's choices are cached (selectors.queue_topics)
        assert_constant_queries(client, f"{URL}?sort={sort}", grow)


def test_saved_filters_are_per_user(client, coordinator, dept_staff, open_item):
    login(client, coordinator)
    response = client.post("/queue/saved/", {"name": "逾期的", "query": "status=overdue&after=xyz&bogus=1"})
    assert response.status_code == 302
    saved = SavedQueueFilter.objects.get(user=coordinator)
    assert saved.query == "status=overdue"
    assert 'href="?status=overdue"' in client.get(URL).content.decode()
    # the same name twice: a message, no 500
    client.post("/queue/saved/", {"name": "逾期的", "query": "status=all"})
    assert SavedQueueFilter.objects.filter(user=coordinator).count() == 1
    assert "已有名为“逾期的”的筛选条件" in client.get(URL).content.decode()  # the message, read once
    login(client, dept_staff)
    assert "逾期的" not in client.get(URL).content.decode()
    assert client.post(f"/queue/saved/{saved.pk}/delete/").status_code == 404
    login(client, coordinator)
    client.post(f"/queue/saved/{saved.pk}/delete/")
    assert not SavedQueueFilter.objects.exists()


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_coordinator_bulk_assigns_owner_and_department(client, open_item, coordinator, dept_staff, dept_business):
    items = [open_item(target=OrganisationFactory(), title=f"事项{n}") for n in range(3)]
    login(client, coordinator)
    response = client.post(
        "/queue/bulk-assign/",
        {"bulk-items": [items[0].pk, items[1].pk], "bulk-owner": dept_staff.pk, "bulk-department": dept_business.pk},
    )
    assert response.status_code == 302
    assert "已分配 2 项。" in _messages(response)
    for item in items[:2]:
        item.refresh_from_db()
        assert item.owner_id == dept_staff.pk and item.department_id == dept_business.pk
    items[2].refresh_from_db()
    assert items[2].owner_id is None


def test_department_staff_cannot_bulk_assign_another_departments_items(
    client, open_item, dept_staff, dept_head, dept_business, dept_msc, msc_user
):
    ours = open_item(target=OrganisationFactory(), title="本部门事项", department=dept_business)
    theirs = open_item(target=OrganisationFactory(), title="服务中心事项", department=dept_msc, owner=dept_staff)
    login(client, dept_staff)
    # allowed: an item the department leads, to a colleague
    response = client.post("/queue/bulk-assign/", {"bulk-items": [ours.pk], "bulk-owner": dept_head.pk})
    ours.refresh_from_db()
    assert ours.owner_id == dept_head.pk
    # denied: the other department's item (visible, since the staff member owns it); all or nothing
    response = client.post("/queue/bulk-assign/", {"bulk-items": [ours.pk, theirs.pk], "bulk-owner": dept_staff.pk})
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.owner_id == dept_head.pk and theirs.owner_id == dept_staff.pk
    text = " ".join(_messages(response))
    assert "服务中心事项" in text and "本部门事项" not in text and "未作任何分配" in text
    # denied: an owner from another department
    response = client.post("/queue/bulk-assign/", {"bulk-items": [ours.pk], "bulk-owner": msc_user.pk})
    ours.refresh_from_db()
    assert ours.owner_id == dept_head.pk
    # nothing chosen: a message naming what is missing
    response = client.post("/queue/bulk-assign/", {"bulk-items": [ours.pk]})
    assert "负责人" in " ".join(_messages(response))


def test_company_users_never_see_the_queue_nor_bulk_assign(client, open_item, member_a_admin, coordinator):
    item = open_item(target=OrganisationFactory())
    login(client, member_a_admin)
    assert client.get(URL).status_code == 403
    assert (
        client.post("/queue/bulk-assign/", {"bulk-items": [item.pk], "bulk-owner": coordinator.pk}).status_code == 403
    )
    assert client.post("/queue/saved/", {"name": "x", "query": ""}).status_code == 403
    item.refresh_from_db()
    assert item.owner_id is None
