"""MOUs (overlap, renewal), courses and internships inside the MOU term, duplicates refused,
retention erasure: the rules of university cooperation, through the real services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.accounts.system import system_actor
from huifu.audit.models import AuditEvent
from huifu.core.testing.factories import OrganisationFactory
from huifu.universities import services
from huifu.universities.models import (
    CourseEnrolment,
    Internship,
    JointCourse,
    Mou,
    MouCounterpart,
    RetentionSetting,
    Student,
)

from .conftest import make_course, make_mou

pytestmark = pytest.mark.django_db
D = datetime.date


def test_mou_keeps_counterparts_and_is_audited(mou_a):
    assert list(MouCounterpart.objects.filter(mou=mou_a).values_list("name", "role")) == [("刘元春", "校长")]
    assert AuditEvent.objects.filter(target_id=str(mou_a.pk), action="create").exists()


def test_overlapping_mou_without_renewal_link_is_refused(uni_a, mou_a):
    with pytest.raises(ValidationError) as exc:
        make_mou(uni_a, start=D(2027, 6, 1), end=D(2029, 12, 31), title="第二份")
    assert "overlaps" in str(exc.value) or "重叠" in str(exc.value)
    assert "starts_on" in exc.value.message_dict
    assert Mou.objects.filter(university=uni_a).count() == 1
    assert not MouCounterpart.objects.filter(mou__title="第二份").exists()


def test_renewal_may_overlap_its_predecessor_and_links_to_it(uni_a, mou_a):
    renewal = make_mou(uni_a, start=D(2027, 12, 1), end=D(2030, 11, 30), title="续签", renews=mou_a)
    assert renewal.renews == mou_a
    mou_a.refresh_from_db()
    assert mou_a.renewal == renewal
    # a second renewal of the same MOU is refused
    with pytest.raises(ValidationError) as exc:
        make_mou(uni_a, start=D(2028, 1, 1), end=D(2031, 1, 1), title="又一次续签", renews=mou_a)
    assert "renews" in exc.value.message_dict


def test_renewal_of_another_universitys_mou_is_refused(uni_b, mou_a):
    with pytest.raises(ValidationError) as exc:
        make_mou(uni_b, start=D(2028, 1, 1), end=D(2030, 1, 1), renews=mou_a)
    assert "renews" in exc.value.message_dict


def test_mou_term_must_end_after_start(uni_a):
    with pytest.raises(ValidationError) as exc:
        make_mou(uni_a, start=D(2025, 1, 1), end=D(2024, 1, 1))
    assert "ends_on" in exc.value.message_dict


def test_other_university_may_overlap(mou_a, uni_b):
    assert make_mou(uni_b).pk


def test_course_outside_the_mou_term_is_refused(mou_a):
    with pytest.raises(ValidationError) as exc:
        make_course(mou_a, start=D(2027, 9, 1), end=D(2028, 1, 15))
    assert "starts_on" in exc.value.message_dict
    assert "2027-12-31" in exc.value.message_dict["starts_on"][0]
    assert not JointCourse.objects.exists()


def test_internship_outside_the_mou_term_is_refused(mou_a, dept_business):
    with pytest.raises(ValidationError) as exc:
        services.internship_create(
            actor=system_actor(),
            mou=mou_a,
            student={"student_number": "2023111", "name": "王小明"},
            starts_on=D(2027, 12, 1),
            ends_on=D(2028, 2, 1),
            host_department=dept_business,
        )
    assert "starts_on" in exc.value.message_dict
    assert not Internship.objects.exists()
    assert not Student.objects.exists()  # nothing half-saved


def test_internship_needs_exactly_one_host(mou_a, dept_business, org_a):
    with pytest.raises(ValidationError):
        services.internship_create(
            actor=system_actor(),
            mou=mou_a,
            student={"student_number": "1"},
            starts_on=D(2025, 7, 1),
            ends_on=D(2025, 8, 1),
            host_department=dept_business,
            host_company=org_a,
        )


def test_course_enrolment_refuses_the_same_student_twice_all_or_nothing(mou_a):
    course = make_course(mou_a)
    services.course_enrol(actor=system_actor(), course=course, rows=[{"student_number": "2023001", "name": "张三"}])
    with pytest.raises(ValidationError) as exc:
        services.course_enrol(
            actor=system_actor(),
            course=course,
            rows=[{"student_number": "2023002", "name": "李四"}, {"student_number": "2023001", "name": "张三"}],
        )
    assert "2023001" in str(exc.value)
    assert CourseEnrolment.objects.count() == 1
    assert not Student.objects.filter(student_number="2023002").exists()


def test_same_number_given_twice_in_one_list(mou_a):
    course = make_course(mou_a)
    with pytest.raises(ValidationError) as exc:
        services.course_enrol(
            actor=system_actor(), course=course, rows=[{"student_number": "9"}, {"student_number": " 9 "}]
        )
    assert "line 1" in str(exc.value).lower() or "第1行" in str(exc.value)


def test_university_user_cannot_enrol_into_another_universitys_course(mou_a, uni_b_user):
    course = make_course(mou_a)
    with pytest.raises(ValidationError):
        services.course_enrol(actor=uni_b_user, course=course, rows=[{"student_number": "1"}])
    assert not CourseEnrolment.objects.exists()


def test_member_may_not_create_mou(member_a_admin, uni_a):
    with pytest.raises(PermissionDenied):
        services.mou_create(
            actor=member_a_admin,
            university=uni_a,
            title="x",
            signed_on=D(2025, 1, 1),
            starts_on=D(2025, 1, 1),
            ends_on=D(2026, 1, 1),
        )


def test_evaluation_by_host_company_only(mou_a, org_a, org_b, member_a_contact, member_b_contact):
    internship = services.internship_create(
        actor=system_actor(),
        mou=mou_a,
        student={"student_number": "2023005", "name": "赵六"},
        starts_on=D(2025, 7, 1),
        ends_on=D(2025, 8, 31),
        host_company=org_a,
    )
    with pytest.raises(PermissionDenied):
        services.internship_evaluate(actor=member_b_contact, internship=internship, evaluation="good")
    services.internship_evaluate(actor=member_a_contact, internship=internship, evaluation="excellent", note="认真")
    internship.refresh_from_db()
    assert internship.evaluation == "excellent"


def test_retention_erases_personal_fields_and_keeps_counts(mou_a, dept_business):
    RetentionSetting.objects.create(months=24)
    internship = services.internship_create(
        actor=system_actor(),
        mou=mou_a,
        student={"student_number": "2023009", "name": "孙七", "major": "金融学", "grade": "2023级"},
        starts_on=D(2025, 7, 1),
        ends_on=D(2025, 8, 31),
        host_department=dept_business,
    )
    services.internship_evaluate(actor=system_actor(), internship=internship, evaluation="good", note="表现良好")
    assert services.students_erase_expired(actor=system_actor(), today=D(2027, 8, 30)) == 0
    assert services.students_erase_expired(actor=system_actor(), today=D(2027, 9, 1)) == 1
    student = Student.objects.get()
    assert (student.name, student.student_number, student.major, student.grade) == ("", "", "", "")
    assert student.erased_at is not None
    internship.refresh_from_db()
    assert internship.evaluation_note == "" and internship.evaluation == "good"
    assert Internship.objects.count() == 1
    # idempotent
    assert services.students_erase_expired(actor=system_actor(), today=D(2027, 9, 2)) == 0
    # the same number may be registered again afterwards (a new identity)
    again = services.student_register(actor=system_actor(), university=mou_a.university, student_number="2023009")
    assert again.pk != student.pk


def test_edition_numbers_grow_and_adoption_replaces(uni_a):
    material = services.material_create(actor=system_actor(), kind="textbook", title="期货市场教程")
    first = services.edition_add(actor=system_actor(), material=material, number=1, published_on=D(2023, 9, 1))
    second = services.edition_add(actor=system_actor(), material=material, number=2, published_on=D(2025, 9, 1))
    with pytest.raises(ValidationError):
        services.edition_add(actor=system_actor(), material=material, number=2, published_on=D(2026, 1, 1))
    services.edition_adopt(actor=system_actor(), edition=first, university=uni_a, since=D(2023, 9, 1))
    adoption = services.edition_adopt(actor=system_actor(), edition=second, university=uni_a, since=D(2025, 9, 1))
    assert adoption.edition == second
    assert material.adoptions.count() == 1


def test_adopting_for_a_non_university_is_refused():
    org = OrganisationFactory()
    material = services.material_create(actor=system_actor(), kind="case", title="案例")
    edition = services.edition_add(actor=system_actor(), material=material, number=1, published_on=D(2023, 9, 1))
    with pytest.raises(ValidationError):
        services.edition_adopt(actor=system_actor(), edition=edition, university=org, since=D(2023, 9, 1))


def test_the_periodic_command_runs(mou_a):
    from django.core.management import call_command

    call_command("universities_jobs")
