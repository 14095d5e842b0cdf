"""The Member Voice lists' filters are declared once (servicedesk/filters.py): the feedback list page
and the forms API give the same forms for the same parameters (staff and members), the items API
takes its filters from the same place, a member never reaches another company's forms through
them, and a bad value is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows

pytestmark = pytest.mark.django_db

ROW = r'href="/feedback/(\d+)/"'
FORMS = "/api/v1/feedback/forms/"
ITEMS = "/api/v1/feedback/items/"


@pytest.fixture
def forms(submit, member_b_admin, coordinator):
    a = submit()
    a_docx = submit(channel="docx", suggestions=["建议优化螺纹钢仓单注册流程"], help_requests=[])
    b = submit(actor=member_b_admin, suggestions=["建议增加原油期货夜盘品种"], help_requests=[])
    return {"a": a, "a_docx": a_docx, "b": b}


def _query(query: str, forms: dict) -> str:
    return query.format(a=forms["a"].organisation_id, b=forms["b"].organisation_id)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=open",
        "?status=submitted",
        "?channel=docx",
        "?organisation={b}",
        "?q=原油",
        "?q=建议&organisation={a}",
    ],
)
def test_staff_page_and_api_filter_the_same_way(client, forms, coordinator, query):
    login(client, coordinator)
    query = _query(query, forms)
    rows = assert_same_rows(
        client, page_url=reverse("servicedesk:feedback_list"), api_url=FORMS, query=query, pattern=ROW
    )
    assert rows
    if "organisation" in query and "q=" not in query:
        assert rows == {str(forms["b"].pk)}


@pytest.mark.parametrize("query", ["", "?channel=docx", "?status=open", "?organisation={b}", "?q=原油"])
def test_a_member_never_reaches_another_companys_forms(client, forms, member_a_admin, query):
    login(client, member_a_admin)
    rows = assert_same_rows(
        client, page_url=reverse("servicedesk:feedback_list"), api_url=FORMS, query=_query(query, forms), pattern=ROW
    )
    assert rows and str(forms["b"].pk) not in rows


def test_items_api_is_filtered_by_its_filterset(client, forms, coordinator, member_a_admin):
    login(client, coordinator)
    response = client.get(ITEMS, {"form": forms["b"].pk})
    assert {row["form"] for row in response.json()["results"]} == {forms["b"].pk}
    login(client, member_a_admin)
    assert client.get(ITEMS, {"form": forms["b"].pk}).json()["results"] == []
    assert client.get(ITEMS, {"form": forms["a"].pk, "status": "open"}).json()["results"]


@pytest.mark.parametrize(("field", "value"), [("status", "lost"), ("channel", "fax"), ("organisation", "abc")])
def test_a_bad_value_is_named(client, forms, coordinator, field, value):
    login(client, coordinator)
    assert_bad_value_named(
        client, page_url=reverse("servicedesk:feedback_list"), api_url=FORMS, field=field, value=value
    )


@pytest.mark.parametrize(("field", "value"), [("form", "abc"), ("topic", "1.5"), ("status", "lost")])
def test_items_api_names_a_bad_value(client, forms, coordinator, field, value):
    login(client, coordinator)
    response = client.get(ITEMS, {field: value})
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
