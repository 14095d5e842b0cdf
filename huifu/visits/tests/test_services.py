"""Visit services: deadlines on the official calendar, the state machine, invitations, audit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from huifu.audit.models import AuditEvent
from huifu.files.models import StoredFile
from huifu.outbox.models import OutboxMessage
from huifu.tracking.models import TrackedStatus
from huifu.tracking.services import tracked_for
from huifu.visits import services
from huifu.visits.models import VisitRequest, VisitRound, VisitSource, VisitStatus

from .conftest import REQUEST, SHANGHAI, pdf_upload

pytestmark = pytest.mark.django_db


def _round_item(visit, number=1):
    return tracked_for(VisitRound.objects.get(visit=visit, number=number), services.TRACKING_KIND)


def test_letter_received_2023_09_28_is_due_end_of_sunday_make_up_day_2023_10_08(
    official_calendar, msc_user, org_a, dept_mm
):
    received = datetime.datetime(2023, 9, 28, 16, 30, tzinfo=SHANGHAI)
    visit = services.visit_letter_register(
        actor=msc_user,
        organisation=org_a,
        letter=pdf_upload(),
        received_at=received,
        contact_name="张三",
        contact_email="zhangsan@alpha.example",
        **REQUEST,
    )
    assert visit.source == VisitSource.LETTER and visit.status == VisitStatus.REQUESTED
    assert visit.letter.original_name == "拜访函.pdf" and visit.letter.organisation == org_a
    item = _round_item(visit)
    assert item.received_at == received
    due = item.due_at.astimezone(SHANGHAI)
    assert due.date() == datetime.date(2023, 10, 8)  # 9-29..10-6 holidays, 10-7 and 10-8 make-up days
    assert due.date().weekday() == 6  # a Sunday
    assert (due.hour, due.minute, due.second) == (23, 59, 59)
    assert item.department == dept_mm and item.organisation == org_a and item.kind == "visit"
    assert not item.provisional


def test_submit_uses_actor_org_and_defaults_contact(official_calendar, member_a_admin, org_a):
    visit = services.visit_request_submit(actor=member_a_admin, **REQUEST)
    assert visit.organisation == org_a and visit.requested_by == member_a_admin
    assert visit.contact_email == member_a_admin.email and visit.source == VisitSource.PORTAL
    assert _round_item(visit).status == TrackedStatus.OPEN
    assert AuditEvent.objects.filter(target_type__model="visitrequest", target_id=str(visit.pk)).count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("purpose", "  "), ("proposed_dates", ""), ("visitors", ""), ("visitor_count", 0), ("contact_email", "not-mail")],
)
def test_submit_refuses_bad_input_and_saves_nothing(official_calendar, member_a_admin, field, value):
    with pytest.raises(ValidationError) as exc:
        services.visit_request_submit(actor=member_a_admin, **{**REQUEST, field: value})
    assert field in exc.value.message_dict
    assert not VisitRequest.objects.exists() and not VisitRound.objects.exists()


def test_staff_and_regulator_cannot_submit_a_request(official_calendar, coordinator, regulator):
    for user in (coordinator, regulator):
        with pytest.raises(PermissionDenied):
            services.visit_request_submit(actor=user, **REQUEST)
    assert not VisitRequest.objects.exists()


def test_letter_needs_file_time_and_a_known_kind_of_organisation(official_calendar, msc_user, org_a, csrc_shanghai):
    base = {"contact_name": "张三", "contact_email": "z@alpha.example", **REQUEST}
    with pytest.raises(ValidationError) as exc:
        services.visit_letter_register(
            actor=msc_user, organisation=csrc_shanghai, letter=None, received_at=None, **base
        )
    assert {"organisation", "letter", "received_at"} <= set(exc.value.message_dict)
    future = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.visit_letter_register(
            actor=msc_user, organisation=org_a, letter=pdf_upload(), received_at=future, **base
        )
    assert "received_at" in exc.value.message_dict
    fake = pdf_upload("letter.pdf")
    fake.file.write(b"")
    not_pdf = type(fake)("letter.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.visit_letter_register(
            actor=msc_user, organisation=org_a, letter=not_pdf, received_at=timezone.now(), **base
        )
    assert "letter" in exc.value.message_dict
    assert not VisitRequest.objects.exists() and not StoredFile.objects.exists()


def test_arrange_closes_the_clock_and_mails_an_ics_to_requester_and_attendees(
    official_calendar, make_visit, arrange, coordinator, dept_staff, member_a_admin
):
    visit = make_visit()
    visit = arrange(visit)
    assert visit.status == VisitStatus.ARRANGED and visit.arrangement_version == 1
    item = _round_item(visit)
    assert item.status == TrackedStatus.DONE and item.on_time is True
    mails = OutboxMessage.objects.filter(topic="visit")
    assert sorted(m.to for m in mails) == sorted([member_a_admin.email, coordinator.email, dept_staff.email])
    ics_id = mails[0].attachment_ids[0]
    assert all(m.attachment_ids == [ics_id] for m in mails)
    stored = StoredFile.objects.get(pk=ics_id)
    assert stored.content_type == "text/calendar" and stored.organisation == visit.organisation
    cal = Calendar.from_ical(stored.file.read())
    event = cal.walk("VEVENT")[0]
    assert str(cal["method"]) == "REQUEST"
    assert event["location"] == "上期所大厦 3楼会议室" and int(event["sequence"]) == 1
    attendees = {str(a).removeprefix("mailto:") for a in event["attendee"]}
    assert attendees == {member_a_admin.email, coordinator.email, dept_staff.email}
    assert event.decoded("dtstart") == visit.starts_at.replace(microsecond=0)


def test_requester_confirms_or_asks_for_change_and_a_new_round_starts(
    official_calendar, make_visit, arrange, member_a_contact, coordinator
):
    visit = arrange(make_visit())
    visit = services.visit_request_change(actor=member_a_contact, visit=visit, reason="请改到下午")
    assert visit.status == VisitStatus.CHANGE_REQUESTED
    second = _round_item(visit, 2)
    assert second.status == TrackedStatus.OPEN and second.title.startswith("Re-arrange") or "重新" in second.title
    with pytest.raises(ValidationError):
        services.visit_confirm(actor=member_a_contact, visit=visit)  # nothing to confirm until re-arranged
    visit = arrange(visit)
    assert visit.arrangement_version == 2 and _round_item(visit, 2).status == TrackedStatus.DONE
    visit = services.visit_confirm(actor=member_a_contact, visit=visit)
    assert visit.status == VisitStatus.CONFIRMED and visit.confirmed_at is not None


def test_change_needs_a_reason(official_calendar, make_visit, arrange, member_a_admin):
    visit = arrange(make_visit())
    with pytest.raises(ValidationError) as exc:
        services.visit_request_change(actor=member_a_admin, visit=visit, reason=" ")
    assert "reason" in exc.value.message_dict
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ARRANGED


def test_other_company_cannot_respond(official_calendar, make_visit, arrange, member_b_admin):
    visit = arrange(make_visit())
    with pytest.raises(PermissionDenied):
        services.visit_confirm(actor=member_b_admin, visit=visit)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ARRANGED


def test_only_coordinator_arranges(official_calendar, make_visit, arrange, dept_staff, msc_user):
    visit = make_visit()
    for user in (dept_staff, msc_user):
        with pytest.raises(PermissionDenied):
            arrange(visit, actor=user)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REQUESTED and not OutboxMessage.objects.filter(topic="visit").exists()


def test_arrangement_input_is_checked(official_calendar, make_visit, coordinator, member_a_admin):
    visit = make_visit()
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.visit_arrange(
            actor=coordinator, visit=visit, starts_at=start, ends_at=start, place="", attendees=[member_a_admin]
        )
    assert {"ends_at", "place", "attendees"} <= set(exc.value.message_dict)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REQUESTED


def test_hold_only_after_start_and_terminal_states_refuse_everything(
    official_calendar, make_visit, arrange, coordinator, member_a_admin
):
    visit = arrange(make_visit())
    visit = services.visit_confirm(actor=member_a_admin, visit=visit)
    with pytest.raises(ValidationError):
        services.visit_hold(actor=coordinator, visit=visit)
    visit = arrange(visit, start=timezone.now() - datetime.timedelta(hours=1))
    visit = services.visit_confirm(actor=member_a_admin, visit=visit)
    visit = services.visit_hold(actor=coordinator, visit=visit, notes="交流顺利")
    assert visit.status == VisitStatus.HELD
    for call in (
        lambda: services.visit_cancel(actor=coordinator, visit=visit, reason="x"),
        lambda: arrange(visit),
        lambda: services.visit_request_change(actor=member_a_admin, visit=visit, reason="x"),
    ):
        with pytest.raises(ValidationError):
            call()


def test_cancel_of_arranged_visit_sends_ics_cancel_and_stops_clock(
    official_calendar, make_visit, arrange, member_a_admin
):
    visit = make_visit()
    visit = services.visit_cancel(actor=member_a_admin, visit=visit, reason="行程变更")
    assert visit.status == VisitStatus.CANCELLED
    assert _round_item(visit).status == TrackedStatus.CANCELLED
    assert not OutboxMessage.objects.filter(topic="visit").exists()  # nothing was arranged, nobody to tell
    other = arrange(make_visit())
    OutboxMessage.objects.all().delete()
    other = services.visit_cancel(actor=member_a_admin, visit=other, reason="行程变更")
    mails = list(OutboxMessage.objects.filter(topic="visit"))
    assert len(mails) == 3
    cal = Calendar.from_ical(StoredFile.objects.get(pk=mails[0].attachment_ids[0]).file.read())
    assert str(cal["method"]) == "CANCEL" and int(cal.walk("VEVENT")[0]["sequence"]) == 2


def test_each_operation_writes_one_visit_audit_entry(official_calendar, make_visit, arrange, member_a_admin):
    visit = make_visit()
    arrange(visit)
    services.visit_confirm(actor=member_a_admin, visit=visit)
    actions = list(
        AuditEvent.objects.filter(target_type__model="visitrequest", target_id=str(visit.pk)).values_list(
            "action", flat=True
        )
    )
    assert len(actions) == 3
