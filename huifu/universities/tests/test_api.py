"""The API: scoped like the pages, bad input a 400 naming the field, nothing saved."""

from __future__ import annotations

import datetime

import pytest

from huifu.accounts.system import system_actor
from huifu.core.testing.auth import login
from huifu.universities import services
from huifu.universities.models import Internship, Mou

from .conftest import make_course

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def data(mou_a, mou_b, org_a, org_b):
    make_course(mou_a, title="期货市场概论")
    make_course(mou_b, title="衍生品定价")
    for mou, org, number in ((mou_a, org_a, "A1"), (mou_b, org_b, "B1")):
        services.internship_create(
            actor=system_actor(),
            mou=mou,
            student={"student_number": number, "name": f"学生{number}"},
            starts_on=D(2025, 7, 1),
            ends_on=D(2025, 8, 1),
            host_company=org,
        )


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_university_reads_only_its_own(client, data, uni_a_user, mou_b):
    login(client, uni_a_user)
    assert [m["university_name"] for m in _results(client.get("/api/v1/universities/mous/"))] == ["上海财经大学"]
    assert [c["title"] for c in _results(client.get("/api/v1/universities/courses/"))] == ["期货市场概论"]
    assert {s["student_number"] for s in _results(client.get("/api/v1/universities/students/"))} == {"A1"}
    assert client.get(f"/api/v1/universities/mous/{mou_b.pk}/").status_code == 404
    cov = client.get("/api/v1/universities/coverage/?year=2025").json()
    assert cov["figures"]["courses"] == 1 and "students" in cov["definitions"]


def test_member_reads_only_its_interns(client, data, member_b_contact):
    login(client, member_b_contact)
    rows = _results(client.get("/api/v1/universities/internships/"))
    assert [r["student"]["student_number"] for r in rows] == ["B1"]
    assert client.get("/api/v1/universities/mous/").status_code == 403
    assert client.get("/api/v1/universities/courses/").status_code == 403


def test_staff_registers_and_overlap_is_a_400(client, coordinator, uni_a, mou_a):
    login(client, coordinator)
    body = {
        "university": uni_a.pk,
        "title": "重叠",
        "signed_on": "2026-01-01",
        "starts_on": "2026-01-01",
        "ends_on": "2028-01-01",
        "counterparts": [{"name": "张华", "role": "副校长"}],
    }
    response = client.post("/api/v1/universities/mous/", body, content_type="application/json")
    assert response.status_code == 400
    assert "starts_on" in str(response.json())
    assert Mou.objects.count() == 1
    body.update(starts_on="2028-01-01", ends_on="2030-12-31", title="续签", renews=mou_a.pk)
    response = client.post("/api/v1/universities/mous/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["renews"] == mou_a.pk


def test_internship_outside_term_is_a_400(client, coordinator, mou_a, org_a):
    login(client, coordinator)
    response = client.post(
        "/api/v1/universities/internships/",
        {
            "mou": mou_a.pk,
            "student_number": "X1",
            "name": "某同学",
            "host_company": org_a.pk,
            "starts_on": "2030-01-01",
            "ends_on": "2030-02-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Internship.objects.exists()


def test_university_user_may_not_register(client, uni_a_user, uni_a):
    login(client, uni_a_user)
    response = client.post(
        "/api/v1/universities/mous/",
        {
            "university": uni_a.pk,
            "title": "x",
            "signed_on": "2026-01-01",
            "starts_on": "2026-01-01",
            "ends_on": "2027-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Mou.objects.exists()


def test_schema_lists_the_endpoints(client, coordinator):
    login(client, coordinator)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/universities/coverage/" in response.content
