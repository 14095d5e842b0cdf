"""The read API: day info, adding working days, years; its permissions and its error envelope."""

import pytest
from django.urls import reverse

from huifu.accounts.services import token_create
from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.core.testing.auth import login
from huifu.workdays import services
from huifu.workdays.models import HolidayName, SpecialDayKind
from huifu.workdays.sources import package_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]

EVERY_LOGGED_IN = [
    "public_user",
    "member_a_admin",
    "member_b_contact",
    "partner_user",
    "regulator",
    "dept_staff",
    "coordinator",
]
ENDPOINTS = [
    "/api/v1/workdays/2023-10-07/",
    "/api/v1/workdays/add/?start=2023-09-28&days=2",
    "/api/v1/workdays/years/",
    "/api/v1/workdays/years/2023/",
]


@pytest.fixture
def api(client, member_a_contact):
    login(client, member_a_contact)
    return client


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_gets_401(client, url):
    response = assert_denied(client, None, url)
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("persona", EVERY_LOGGED_IN)
@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_logged_in_user_may_read(client, request, persona, url):
    assert_allowed(client, request.getfixturevalue(persona), url)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_writes_are_not_offered(api, url):
    assert api.post(url, {}).status_code == 405


def test_bearer_token_works(client, member_b_contact):
    _token, raw = token_create(user=member_b_contact, name="deadlines", actor=member_b_contact)
    response = client.get(ENDPOINTS[1], HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["date"] == "2023-10-08"


def test_day_info(api):
    body = api.get("/api/v1/workdays/2023-10-07/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body == {
        "date": "2023-10-07",
        "weekday": 6,
        "is_working_day": True,
        "kind": "makeup_workday",
        "holiday": "national_day",
        "holiday_name": body["holiday_name"],
        "year_published": True,
        "warnings": [],
    }
    assert api.get("/api/v1/workdays/2023-10-02/").json()["kind"] == "holiday"
    assert api.get("/api/v1/workdays/2023-10-09/").json()["kind"] == "workday"


def test_day_info_in_an_unpublished_year_warns(api):
    body = api.get("/api/v1/workdays/2030-10-01/").json()
    assert body["kind"] == "workday" and body["year_published"] is False
    assert len(body["warnings"]) == 1 and "2030" in body["warnings"][0]


def test_add_working_days(api):
    body = api.get("/api/v1/workdays/add/", {"start": "2023-09-28", "days": 2}).json()
    assert body == {
        "start": "2023-09-28",
        "days": 2,
        "date": "2023-10-08",
        "provisional": False,
        "unpublished_years": [],
        "warnings": [],
    }
    assert api.get("/api/v1/workdays/add/", {"start": "2023-10-09", "days": -1}).json()["date"] == "2023-10-08"
    assert api.get("/api/v1/workdays/add/", {"start": "2023-10-01", "days": 0}).json()["date"] == "2023-10-07"


def test_add_into_an_unpublished_year_is_provisional(api):
    body = api.get("/api/v1/workdays/add/", {"start": "2026-12-30", "days": 2}).json()
    assert body["date"] == "2027-01-01"
    assert body["provisional"] is True and body["unpublished_years"] == [2027]
    assert "2027" in body["warnings"][0]


def test_a_staff_edit_shows_in_the_api_at_once(api, coordinator):
    services.special_day_set(
        day=__import__("datetime").date(2030, 10, 1),
        kind=SpecialDayKind.HOLIDAY,
        holiday=HolidayName.NATIONAL_DAY,
        actor=coordinator,
    )
    assert api.get("/api/v1/workdays/add/", {"start": "2030-09-30", "days": 1}).json()["date"] == "2030-10-02"


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/workdays/2023-02-30/", "date"),
        ("/api/v1/workdays/yesterday/", "date"),
        ("/api/v1/workdays/1800-01-01/", "date"),
        ("/api/v1/workdays/add/?start=2023-13-01&days=2", "start"),
        ("/api/v1/workdays/add/?days=2", "start"),
        ("/api/v1/workdays/add/?start=2023-09-28&days=1001", "days"),
        ("/api/v1/workdays/add/?start=2023-09-28&days=-99999999999999999999", "days"),
        ("/api/v1/workdays/add/?start=2023-09-28&days=two", "days"),
        ("/api/v1/workdays/add/?start=2023-09-28", "days"),
        ("/api/v1/workdays/add/?start=2199-12-30&days=1000", "days"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, url, field):
    response = api.get(url)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"], error


def test_years_list(api):
    body = api.get("/api/v1/workdays/years/").json()
    years = {row["year"]: row for row in body["results"]}
    assert {2023, 2024, 2025, 2026} <= set(years)
    assert years[2025]["published"] is True and years[2025]["source"] == package_source()


def test_year_detail(api):
    body = api.get("/api/v1/workdays/years/2024/").json()
    assert body["published"] is True and body["warnings"] == []
    days = {d["date"]: d for d in body["special_days"]}
    assert days["2024-02-04"]["kind"] == "makeup_workday"
    assert days["2024-02-10"]["holiday"] == "spring_festival"
    empty = api.get("/api/v1/workdays/years/2030/").json()
    assert empty["published"] is False and empty["special_days"] == [] and "2030" in empty["warnings"][0]
    assert api.get("/api/v1/workdays/years/2300/").status_code == 404


def test_schema_documents_the_endpoints(api):
    schema = api.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/workdays/add/" in schema["paths"]
    assert "/api/v1/workdays/{day}/" in schema["paths"]
