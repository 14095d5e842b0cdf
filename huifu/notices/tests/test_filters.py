"""The notice lists' filters are declared once (notices/filters.py): the reader's page, the staff's
page and the API give the same notices for the same parameters, a member never reaches a notice
addressed to another company through them, and a bad value is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows
from huifu.notices.models import AudienceKind
from huifu.notices.services import notice_mark_read

pytestmark = pytest.mark.django_db

ROW = r'href="/notices/(\d+)/"'
API = "/api/v1/notices/"


@pytest.fixture
def notices(make_notice, org_a, org_b, member_a_admin):
    guideline = make_notice(title="交割指引", category="guideline")
    report = make_notice(title="年度报告", category="report", body="会员服务年度总结。")
    for_b = make_notice(
        title="乙期货专项通知", audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_b]
    )
    draft = make_notice(title="交割草稿", publish=False)
    notice_mark_read(actor=member_a_admin, notice=report)
    return {"guideline": guideline, "report": report, "for_b": for_b, "draft": draft}


@pytest.mark.parametrize(
    "query", ["", "?category=guideline", "?show=unread", "?unread=1", "?q=年度总结", "?q=交割&category=guideline"]
)
def test_reader_page_and_api_filter_the_same_way(client, notices, member_a_admin, query):
    login(client, member_a_admin)
    rows = assert_same_rows(client, page_url=reverse("notices:list"), api_url=API, query=query, pattern=ROW)
    assert str(notices["for_b"].pk) not in rows and str(notices["draft"].pk) not in rows
    if query:
        assert len(rows) == 1


@pytest.mark.parametrize("query", ["?q=乙期货", "?category=notice"])
def test_a_member_never_reaches_another_companys_notice(client, notices, member_a_admin, query):
    login(client, member_a_admin)
    assert not assert_same_rows(client, page_url=reverse("notices:list"), api_url=API, query=query, pattern=ROW)


@pytest.mark.parametrize("query", ["", "?status=draft", "?q=交割", "?status=published&category=guideline"])
def test_staff_page_and_api_filter_the_same_way(client, notices, coordinator, query):
    login(client, coordinator)
    rows = assert_same_rows(
        client, page_url=reverse("notices:manage"), api_url=API, query=query, pattern=r'<td><a href="/notices/(\d+)/"'
    )
    assert rows


@pytest.mark.parametrize(("field", "value"), [("category", "memo"), ("show", "all")])
def test_a_bad_reader_value_is_named(client, notices, member_a_admin, field, value):
    login(client, member_a_admin)
    assert_bad_value_named(client, page_url=reverse("notices:list"), api_url=API, field=field, value=value)


def test_a_bad_staff_status_is_named(client, notices, coordinator):
    login(client, coordinator)
    assert_bad_value_named(client, page_url=reverse("notices:manage"), api_url=API, field="status", value="archived")
