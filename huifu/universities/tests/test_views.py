"""Pages, exports and files of university cooperation: permissions both ways, isolation between
universities and between member companies, bad input answered next to the field, constant
queries on the lists."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huifu.accounts.system import system_actor
from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.universities import services
from huifu.universities.models import Internship, JointCourse, Mou

from .conftest import make_course, make_mou

pytestmark = pytest.mark.django_db
D = datetime.date

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _intern(mou, number, *, company=None, department=None, name="实习生"):
    return services.internship_create(
        actor=system_actor(),
        mou=mou,
        student={"student_number": number, "name": name},
        starts_on=D(2025, 7, 1),
        ends_on=D(2025, 8, 31),
        host_company=company,
        host_department=department,
    )


def _rows(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


@pytest.fixture
def world(mou_a, mou_b, org_a, org_b):
    course_a = make_course(mou_a, title="期货市场概论")
    course_b = make_course(mou_b, title="衍生品定价")
    services.course_enrol(actor=system_actor(), course=course_a, rows=[{"student_number": "A001", "name": "甲同学"}])
    services.course_enrol(actor=system_actor(), course=course_b, rows=[{"student_number": "B001", "name": "乙同学"}])
    intern_a = _intern(mou_a, "A002", company=org_a, name="丙同学")
    intern_b = _intern(mou_b, "B002", company=org_b, name="丁同学")
    return {"course_a": course_a, "course_b": course_b, "intern_a": intern_a, "intern_b": intern_b}


PAGES = [
    "universities:mou_list",
    "universities:course_list",
    "universities:lecture_list",
    "universities:student_list",
    "universities:material_list",
    "universities:coverage",
]


@pytest.mark.parametrize("name", PAGES)
def test_staff_and_university_see_pages_member_and_public_do_not(
    client, name, coordinator, uni_a_user, member_a_contact, public_user
):
    login(client, coordinator)
    assert client.get(reverse(name)).status_code == 200
    login(client, uni_a_user)
    assert client.get(reverse(name)).status_code == 200
    for user in (member_a_contact, public_user):
        login(client, user)
        assert client.get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("universities:mou_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_university_sees_only_its_own(client, world, uni_a_user, mou_b):
    login(client, uni_a_user)
    page = client.get(reverse("universities:mou_list")).content.decode()
    assert "上海财经大学" in page and "复旦大学" not in page
    assert client.get(reverse("universities:mou_detail", args=[mou_b.pk])).status_code == 404
    assert client.get(reverse("universities:course_detail", args=[world["course_b"].pk])).status_code == 404
    assert client.get(reverse("universities:internship_detail", args=[world["intern_b"].pk])).status_code == 404
    students = client.get(reverse("universities:student_list")).content.decode()
    assert "甲同学" in students and "乙同学" not in students and "丁同学" not in students
    courses = _rows(client.get(reverse("universities:course_export")))
    assert [r[1] for r in courses[1:]] == ["期货市场概论"]
    interns = _rows(client.get(reverse("universities:internship_export")))
    assert [r[2] for r in interns[1:]] == ["丙同学"]
    mous = _rows(client.get(reverse("universities:mou_export")))
    assert [r[0] for r in mous[1:]] == ["上海财经大学"]


def test_member_sees_only_its_own_interns(client, world, member_a_contact):
    login(client, member_a_contact)
    page = client.get(reverse("universities:internship_list")).content.decode()
    assert "丙同学" in page and "丁同学" not in page
    assert client.get(reverse("universities:internship_detail", args=[world["intern_b"].pk])).status_code == 404
    rows = _rows(client.get(reverse("universities:internship_export")))
    assert [r[2] for r in rows[1:]] == ["丙同学"]
    assert client.get(reverse("universities:mou_export")).status_code == 403
    assert client.get(reverse("universities:course_detail", args=[world["course_a"].pk])).status_code == 403


def test_member_evaluates_own_intern_not_another(client, world, member_a_contact):
    login(client, member_a_contact)
    url = reverse("universities:internship_detail", args=[world["intern_a"].pk])
    response = client.post(url, {"evaluation": "good", "note": "踏实"})
    assert response.status_code == 302
    world["intern_a"].refresh_from_db()
    assert world["intern_a"].evaluation == "good"
    other = reverse("universities:internship_detail", args=[world["intern_b"].pk])
    assert client.post(other, {"evaluation": "fail"}).status_code == 404
    world["intern_b"].refresh_from_db()
    assert world["intern_b"].evaluation == ""


def test_university_user_may_not_evaluate_or_create(client, world, uni_a_user):
    login(client, uni_a_user)
    url = reverse("universities:internship_detail", args=[world["intern_a"].pk])
    assert client.post(url, {"evaluation": "good"}).status_code == 403
    assert client.get(reverse("universities:mou_create")).status_code == 403
    assert client.get(reverse("universities:course_create")).status_code == 403
    assert client.get(reverse("universities:internship_create")).status_code == 403


def test_university_user_enrols_own_students(client, world, uni_a_user, uni_b_user):
    login(client, uni_a_user)
    url = reverse("universities:course_detail", args=[world["course_a"].pk])
    response = client.post(url, {"students": "A010，新同学，金融学，2024级\nA011,另一位"})
    assert response.status_code == 302
    assert world["course_a"].enrolments.count() == 3
    # the same student again: a message next to the field, nothing saved
    response = client.post(url, {"students": "A012\nA010"})
    assert response.status_code == 200
    assert "A010" in response.content.decode()
    assert world["course_a"].enrolments.count() == 3
    login(client, uni_b_user)
    assert client.post(url, {"students": "B099"}).status_code == 404


def test_overlapping_mou_form_answers_next_to_the_field(client, coordinator, uni_a, mou_a):
    login(client, coordinator)
    response = client.post(
        reverse("universities:mou_create"),
        {
            "university": uni_a.pk,
            "title": "重复的备忘录",
            "signed_on": "2026-01-01",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "courses_per_year": 1,
            "lectures_per_year": 1,
            "internships_per_year": 1,
            "research_topics_per_year": 1,
            "remind_working_days": 20,
        },
    )
    assert response.status_code == 200
    assert mou_a.title in response.content.decode()
    assert Mou.objects.count() == 1


def test_renewal_through_the_page(client, coordinator, uni_a, mou_a):
    login(client, coordinator)
    response = client.post(
        reverse("universities:mou_renew", args=[mou_a.pk]),
        {
            "university": uni_a.pk,
            "title": "续签备忘录",
            "signed_on": "2027-11-20",
            "starts_on": "2028-01-01",
            "ends_on": "2030-12-31",
            "counterparts": "张华，副校长\n李明，教务处处长",
            "courses_per_year": 1,
            "lectures_per_year": 1,
            "internships_per_year": 1,
            "research_topics_per_year": 1,
            "remind_working_days": 20,
            "agreement": SimpleUploadedFile("备忘录.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    renewal = Mou.objects.get(title="续签备忘录")
    assert renewal.renews == mou_a and renewal.counterparts.count() == 2
    assert renewal.agreement is not None


def test_course_outside_term_through_the_page(client, coordinator, mou_a):
    login(client, coordinator)
    response = client.post(
        reverse("universities:course_create"),
        {
            "mou": mou_a.pk,
            "title": "期货与期权",
            "academic_year": "2027-2028",
            "semester": "autumn",
            "starts_on": "2027-09-01",
            "ends_on": "2028-01-15",
            "hours": "32",
        },
    )
    assert response.status_code == 200
    assert "2027-12-31" in response.content.decode()
    assert not JointCourse.objects.exists()


def test_internship_outside_term_through_the_page(client, coordinator, mou_a, org_a):
    login(client, coordinator)
    response = client.post(
        reverse("universities:internship_create"),
        {
            "mou": mou_a.pk,
            "student_number": "2024001",
            "name": "周同学",
            "host_company": org_a.pk,
            "starts_on": "2028-07-01",
            "ends_on": "2028-08-31",
        },
    )
    assert response.status_code == 200
    assert not Internship.objects.exists()


def test_files_isolated_between_universities(client, coordinator, uni_a_user, uni_b_user, uni_a):
    mou = services.mou_create(
        actor=system_actor(),
        university=uni_a,
        title="带附件",
        signed_on=D(2030, 1, 1),
        starts_on=D(2030, 1, 1),
        ends_on=D(2031, 1, 1),
        agreement=SimpleUploadedFile("备忘录.pdf", PDF, content_type="application/pdf"),
    )
    url = reverse("files:download", args=[mou.agreement_id])
    login(client, uni_a_user)
    assert client.get(url).status_code == 200
    login(client, uni_b_user)
    assert client.get(url).status_code == 404


def test_bad_ids_answer_404_not_500(client, coordinator):
    login(client, coordinator)
    assert client.get("/universities/mous/999999/").status_code == 404
    assert client.get(reverse("universities:coverage") + "?year=abc").status_code == 200


def test_lists_keep_constant_queries(client, coordinator, uni_a, uni_b, org_a):
    login(client, coordinator)
    counter = {"n": 0}

    def grow():
        counter["n"] += 1
        n = counter["n"]
        for uni in (uni_a, uni_b):
            mou = make_mou(uni, start=D(2000 + 3 * n, 1, 1), end=D(2002 + 3 * n, 1, 1), title=f"第{n}份")
            course = make_course(mou, start=D(2000 + 3 * n, 9, 1), end=D(2001 + 3 * n, 1, 10), title=f"课程{n}")
            services.course_enrol(actor=system_actor(), course=course, rows=[{"student_number": f"S{n}{uni.pk}"}])
            services.internship_create(
                actor=system_actor(),
                mou=mou,
                student={"student_number": f"I{n}{uni.pk}"},
                starts_on=D(2000 + 3 * n, 7, 1),
                ends_on=D(2000 + 3 * n, 8, 1),
                host_company=org_a,
            )

    grow()
    for name in ("mou_list", "course_list", "internship_list", "student_list", "coverage"):
        assert_constant_queries(client, reverse(f"universities:{name}"), grow)


def test_adoptions_and_material_files_are_scoped(client, uni_a, uni_b, uni_a_user, uni_b_user):
    material = services.material_create(actor=system_actor(), kind="textbook", title="期货市场基础教程")
    edition = services.edition_add(
        actor=system_actor(),
        material=material,
        number=1,
        published_on=D(2024, 9, 1),
        file=SimpleUploadedFile("教材.pdf", PDF, content_type="application/pdf"),
    )
    services.edition_adopt(actor=system_actor(), edition=edition, university=uni_a, since=D(2024, 9, 1))
    url = reverse("universities:material_detail", args=[material.pk])
    login(client, uni_a_user)
    assert "上海财经大学" in client.get(url).content.decode()
    assert client.get(reverse("files:download", args=[edition.file_id])).status_code == 200
    login(client, uni_b_user)
    page = client.get(url).content.decode()
    assert "期货市场基础教程" in page and "上海财经大学" not in page
    # the library itself is shared with every university
    assert client.get(reverse("files:download", args=[edition.file_id])).status_code == 200
