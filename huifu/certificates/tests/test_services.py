"""Issuing, idempotency, gapless numbers, revocation and re-issue (the services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from huifu.audit.models import AuditEvent
from huifu.certificates import services
from huifu.certificates.codes import certificate_number, mask_name, verification_code
from huifu.certificates.models import Certificate, CertificateCounter, CertificateState
from huifu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_attendance_certificate_stores_eligibility_and_dates(coordinator, attended, practitioner):
    result = services.certificate_issue_attendance(actor=coordinator, session=attended["onsite"], person=practitioner)
    cert = result.certificate
    assert result.created
    year = timezone.localdate().year
    assert cert.number == f"{year}-000001" and cert.year == year and cert.serial == 1
    assert cert.code == verification_code(cert.number) and len(cert.code) == 20
    assert cert.session_date == attended["onsite"].date and cert.completion_date is None
    assert cert.issued_on == timezone.localdate()
    assert cert.holder_name == "张三明" and cert.organisation == practitioner.organisation
    (entry,) = cert.eligibility["sessions"]
    assert entry["how"] == "check_in" and entry["desk"] == "一号台" and entry["session"] == attended["onsite"].pk
    assert cert.hours == []  # the session grants no hours: none printed, never invented
    assert AuditEvent.objects.for_object(cert).count() == 1
    assert Notification.objects.filter(recipient=practitioner, params__number=cert.number).exists()


def test_online_attendance_counts_by_the_imported_record(coordinator, attended, practitioner):
    cert = services.certificate_issue_attendance(
        actor=coordinator, session=attended["online"], person=practitioner
    ).certificate
    (entry,) = cert.eligibility["sessions"]
    assert entry["how"] == "online" and entry["minutes_in_schedule"] >= 190 and entry["min_percent"] == 60


def test_someone_who_did_not_attend_is_refused_with_a_clear_message(coordinator, attended, absentee, practitioner_b):
    with pytest.raises(ValidationError) as refused:
        services.certificate_issue_attendance(actor=coordinator, session=attended["online"], person=absentee)
    assert refused.value.code == "not_eligible"
    assert "赵六" in refused.value.messages[0] and "10" in refused.value.messages[0]
    with pytest.raises(ValidationError) as unregistered:
        services.certificate_issue_attendance(actor=coordinator, session=attended["online"], person=practitioner_b)
    assert unregistered.value.code == "not_eligible" and "期权交易实务" in unregistered.value.messages[0]
    assert not Certificate.objects.exists()
    assert not CertificateCounter.objects.filter(last__gt=0).exists()  # no number used


def test_issuing_twice_returns_the_same_certificate(coordinator, attended, practitioner):
    first = services.certificate_issue_attendance(actor=coordinator, session=attended["onsite"], person=practitioner)
    again = services.certificate_issue_attendance(actor=coordinator, session=attended["onsite"], person=practitioner)
    assert not again.created and again.certificate.pk == first.certificate.pk
    assert Certificate.objects.count() == 1 and CertificateCounter.objects.get().last == 1


def test_numbers_are_gapless_across_refusals_and_kinds(coordinator, attended, practitioner, practitioner_b, absentee):
    a = services.certificate_issue_attendance(actor=coordinator, session=attended["onsite"], person=practitioner)
    with pytest.raises(ValidationError):
        services.certificate_issue_attendance(actor=coordinator, session=attended["online"], person=absentee)
    b = services.certificate_issue_attendance(actor=coordinator, session=attended["onsite"], person=practitioner_b)
    c = services.certificate_issue_completion(actor=coordinator, series=attended["onsite"].series, person=practitioner)
    assert [x.certificate.serial for x in (a, b, c)] == [1, 2, 3]
    assert c.certificate.number == certificate_number(timezone.localdate().year, 3)


def test_completion_needs_every_required_session(coordinator, attended, practitioner, practitioner_b):
    series = attended["onsite"].series
    cert = services.certificate_issue_completion(actor=coordinator, series=series, person=practitioner).certificate
    assert cert.kind == "completion" and cert.session is None and cert.series == series
    assert cert.completion_date == attended["online"].date and cert.session_date is None
    assert [e["how"] for e in cert.eligibility["sessions"]] == ["check_in", "online"]
    with pytest.raises(ValidationError) as refused:
        services.certificate_issue_completion(actor=coordinator, series=series, person=practitioner_b)
    assert refused.value.code == "not_eligible" and "期权交易实务" in refused.value.messages[0]


def test_completion_requirement_as_data(coordinator, attended, practitioner_b):
    from huifu.certificates.models import CompletionRequirement

    series = attended["onsite"].series
    requirement = CompletionRequirement.objects.create(series=series)
    requirement.sessions.set([attended["onsite"]])
    cert = services.certificate_issue_completion(actor=coordinator, series=series, person=practitioner_b).certificate
    assert cert.eligibility["required"] == [attended["onsite"].pk]


def test_bulk_issue_for_a_session(coordinator, attended, practitioner, practitioner_b, investor, absentee):
    services.certificate_issue_attendance(actor=coordinator, session=attended["onsite"], person=practitioner)
    result = services.certificate_issue_session_bulk(actor=coordinator, session=attended["onsite"])
    assert {c.holder for c in result.issued} == {practitioner_b, investor}
    assert [c.holder for c in result.existing] == [practitioner]
    assert [p for p, _ in result.refused] == [absentee]
    again = services.certificate_issue_session_bulk(actor=coordinator, session=attended["onsite"])
    assert not again.issued and len(again.existing) == 3
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [1, 2, 3]


def test_revocation_keeps_the_number_and_refuses_a_second_issue(coordinator, attended, practitioner):
    cert = services.certificate_issue_attendance(
        actor=coordinator, session=attended["onsite"], person=practitioner
    ).certificate
    with pytest.raises(ValidationError) as no_reason:
        services.certificate_revoke(actor=coordinator, certificate=cert, reason="  ")
    assert no_reason.value.code == "reason_required"
    revoked = services.certificate_revoke(actor=coordinator, certificate=cert, reason="签到记录有误")
    assert revoked.state == CertificateState.REVOKED and revoked.number == cert.number and revoked.revoked_at
    with pytest.raises(ValidationError) as again:
        services.certificate_issue_attendance(actor=coordinator, session=attended["onsite"], person=practitioner)
    assert again.value.code == "revoked" and cert.number in again.value.messages[0]
    with pytest.raises(ValidationError) as twice:
        services.certificate_revoke(actor=coordinator, certificate=revoked, reason="再次")
    assert twice.value.code == "illegal_transition"


def test_reissue_after_a_name_correction_links_the_chain(coordinator, attended, practitioner):
    old = services.certificate_issue_attendance(
        actor=coordinator, session=attended["onsite"], person=practitioner
    ).certificate
    new = services.certificate_reissue(actor=coordinator, certificate=old, holder_name="张三鸣")
    old.refresh_from_db()
    assert old.state == CertificateState.REPLACED and old.replaced_by == new and new.replaces == old
    assert new.holder_name == "张三鸣" and new.number != old.number and new.serial == old.serial + 1
    assert new.session_date == old.session_date and new.eligibility == old.eligibility
    # issuing again returns the new one; the replaced one is not re-issued again
    again = services.certificate_issue_attendance(actor=coordinator, session=attended["onsite"], person=practitioner)
    assert again.certificate == new and not again.created
    with pytest.raises(ValidationError) as replaced:
        services.certificate_reissue(actor=coordinator, certificate=old, holder_name="张三名")
    assert replaced.value.code == "illegal_transition"
    with pytest.raises(ValidationError) as same:
        services.certificate_reissue(actor=coordinator, certificate=new, holder_name="张三鸣")
    assert same.value.code == "unchanged"


@pytest.mark.parametrize("who", ["dept_staff", "practitioner", "university_user", "member_a_admin"])
def test_only_event_managers_issue_and_revoke(request, who, coordinator, msc_user, attended, practitioner):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.certificate_issue_attendance(actor=actor, session=attended["onsite"], person=practitioner)
    with pytest.raises(PermissionDenied):
        services.certificate_issue_session_bulk(actor=actor, session=attended["onsite"])
    cert = services.certificate_issue_attendance(
        actor=msc_user, session=attended["onsite"], person=practitioner
    ).certificate  # the Market Service Center may
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=actor, certificate=cert, reason="x")
    with pytest.raises(PermissionDenied):
        services.certificate_reissue(actor=actor, certificate=cert, holder_name="x")
    cert.refresh_from_db()
    assert cert.is_valid and Certificate.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三明", "张*明"),
        ("李四", "李*"),
        ("欧阳娜娜", "欧**娜"),
        ("John Smith", "J*** S****"),
        ("", "*"),
        ("王", "*"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked
