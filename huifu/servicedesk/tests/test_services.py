from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.audit.models import AuditEvent
from huifu.outbox.models import OutboxMessage
from huifu.servicedesk import services
from huifu.servicedesk.models import FeedbackForm, FormStatus, ItemStatus, Reply, Topic
from huifu.servicedesk.services.common import FORM_KIND
from huifu.tracking.models import DeadlineRule, TrackedItem, TrackedStatus, TrackingPolicy
from huifu.tracking.services import tracked_for
from huifu.workdays.engine import china_date

from .conftest import at

pytestmark = pytest.mark.django_db


def test_submit_creates_numbered_form_items_deadline_and_mail(submit, member_a_admin):
    form = submit(received_at=at(2024, 3, 1))
    assert form.status == FormStatus.SUBMITTED and form.serial == 1 and form.serial_display == "001"
    assert form.year == 2024
    assert [(i.kind, i.number) for i in form.items.order_by("kind", "number")] == [
        ("help_request", 1),
        ("suggestion", 1),
        ("suggestion", 2),
    ]
    assert all(i.tokens and i.keywords.strip() for i in form.items.all())
    tracked = tracked_for(form, FORM_KIND)
    assert tracked.deadline_rule == DeadlineRule.CALENDAR_DAYS and tracked.deadline_amount == 14
    assert china_date(tracked.due_at) == datetime.date(2024, 3, 15)
    assert TrackedItem.objects.filter(kind="feedback_item").count() == 3
    assert OutboxMessage.objects.filter(to="contact@alpha.example", topic="feedback_received").exists()
    assert submit(received_at=at(2024, 3, 2)).serial_display == "002"


def test_serials_restart_each_year_and_are_per_company(submit, member_b_admin):
    assert submit(received_at=at(2023, 12, 31, 23)).serial == 1
    assert submit(received_at=at(2024, 1, 1, 0)).serial == 1
    assert submit(received_at=at(2024, 1, 2)).serial == 2
    assert submit(actor=member_b_admin, received_at=at(2024, 1, 2)).serial == 1


def test_idempotency_key_creates_one_form(submit):
    first = submit(idempotency_key="abc")
    second = submit(idempotency_key="abc")
    assert first.pk == second.pk and FeedbackForm.objects.count() == 1
    assert submit(idempotency_key="def").serial == 2


def test_bad_input_names_the_field_and_saves_nothing(submit):
    with pytest.raises(ValidationError) as exc:
        submit(email="not-an-email", contact_name="", suggestions=[], help_requests=["  "])
    assert {"email", "contact_name", "suggestions"} <= set(exc.value.message_dict)
    assert FeedbackForm.objects.count() == 0 and TrackedItem.objects.count() == 0


def test_member_cannot_submit_for_another_company(submit, member_b_admin, org_a):
    with pytest.raises(PermissionDenied):
        submit(actor=member_b_admin, organisation=org_a)


def test_deadline_rule_is_data(submit):
    TrackingPolicy.objects.create(kind=FORM_KIND, default_rule=DeadlineRule.WORKING_DAYS, default_amount=10)
    form = submit(received_at=at(2023, 9, 27))
    # 10 working days after 2023-09-27 across the National Day holiday and two make-up days.
    # 09-28, 10-07 (Sat), 10-08 (Sun), 10-09 … 10-13, 10-16, 10-17.
    assert china_date(tracked_for(form, FORM_KIND).due_at) == datetime.date(2023, 10, 17)


def test_pause_across_national_day_and_resume(submit, coordinator, member_a_admin):
    form = submit(received_at=at(2023, 9, 25))  # due 2023-10-09 (14 calendar days)
    assert china_date(tracked_for(form, FORM_KIND).due_at) == datetime.date(2023, 10, 9)
    form = services.feedback_pause(
        form=form, reason="请说明所指的交割库具体地点", actor=coordinator, at=at(2023, 9, 28)
    )
    assert form.status == FormStatus.WAITING_MEMBER
    assert tracked_for(form, FORM_KIND).status == TrackedStatus.PAUSED
    assert OutboxMessage.objects.filter(topic="feedback_clarification").exists()
    form = services.feedback_member_answer(
        form=form, text="指上海地区的铜交割库", actor=member_a_admin, at=at(2023, 10, 8)
    )
    assert form.status == FormStatus.IN_PROGRESS and "上海" in form.member_clarification
    tracked = tracked_for(form, FORM_KIND)
    assert tracked.status == TrackedStatus.OPEN and tracked.paused_days_total == 10
    assert china_date(tracked.due_at) == datetime.date(2023, 10, 19)
    assert all(t.status == TrackedStatus.OPEN for t in TrackedItem.objects.filter(kind="feedback_item"))


def test_full_written_reply_flow(replied_form, coordinator):
    form = replied_form
    assert form.status == FormStatus.REPLIED
    reply = Reply.objects.get(form=form)
    assert "关于第1项" in reply.text and reply.letter is not None and reply.letter.content_type == "application/pdf"
    assert reply.letter.organisation_id == form.organisation_id and reply.letter.purpose == "reply_letter"
    assert set(form.items.values_list("status", flat=True)) == {ItemStatus.REPLIED}
    tracked = tracked_for(form, FORM_KIND)
    assert tracked.status == TrackedStatus.DONE and tracked.on_time is True
    mail = OutboxMessage.objects.filter(topic="feedback_reply", to="contact@alpha.example").get()
    assert mail.attachment_ids == [str(reply.letter.pk)]
    services.feedback_close(form=form, actor=coordinator)
    with pytest.raises(services.FeedbackStateError):
        services.reply_approve_send(reply=reply, actor=coordinator)


def test_meeting_reply_makes_an_ics(submit, coordinator):
    form = submit()
    with pytest.raises(ValidationError) as exc:
        services.reply_compose(form=form, mode="meeting", actor=coordinator)
    assert {"meeting_at", "meeting_link", "attendees"} <= set(exc.value.message_dict)
    reply = services.reply_compose(
        form=form,
        mode="meeting",
        actor=coordinator,
        text="就手续费问题沟通",
        meeting_at=at(2024, 3, 8, 14),
        meeting_link="https://meeting.example/123",
        attendees="会员管理部 王协调；有色金属部 李业务",
    )
    reply = services.reply_approve_send(reply=reply, actor=coordinator)
    ics = reply.ics.file.read().decode()
    assert "BEGIN:VEVENT" in ics and "meeting.example/123" in ics and "DTSTART" in ics
    reply = services.reply_record_minutes(reply=reply, minutes="双方就手续费达成共识", actor=coordinator)
    assert reply.minutes


def test_only_coordinator_assigns_and_departments_answer_their_items(
    submit, coordinator, dept_staff, msc_user, dept_business
):
    item = submit().items.first()
    with pytest.raises(PermissionDenied):
        services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=dept_staff)
    with pytest.raises(ValidationError) as exc:
        services.item_assign(item=item, owner=None, departments=[], actor=coordinator)
    assert {"owner", "departments"} <= set(exc.value.message_dict)
    services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
    assert OutboxMessage.objects.filter(to=dept_staff.email, topic="tracking_assigned").exists()
    with pytest.raises(PermissionDenied):
        services.answer_draft(item=item, department=dept_business, text="x", actor=msc_user)
    answer = services.answer_draft(item=item, department=dept_business, text="初稿", actor=dept_staff)
    answer = services.answer_draft(item=item, department=dept_business, text="修改稿", actor=dept_staff)
    assert answer.text == "修改稿" and item.answers.count() == 1


def test_collective_answer_closes_linked_items_of_the_audience(submit, coordinator, member_b_admin, org_a):
    a_item = submit().items.get(kind="suggestion", number=1)
    b_item = submit(actor=member_b_admin, email="b@beta.example").items.get(kind="suggestion", number=1)
    topic = services.topic_create(name="交割库容", actor=coordinator)
    services.item_set_topics(item=a_item, topics=[topic], actor=coordinator)
    services.item_set_topics(item=b_item, topics=[topic], actor=coordinator)
    answer = services.collective_publish(
        topic=topic,
        mode="written",
        title="关于交割库容问题的集中答复",
        text="交易所将新增交割库容。",
        actor=coordinator,
        audience_kind="organisations",
        organisations=[org_a],
    )
    a_item.refresh_from_db()
    b_item.refresh_from_db()
    assert a_item.status == ItemStatus.COLLECTIVE and a_item.collective_answer == answer
    assert b_item.status != ItemStatus.COLLECTIVE
    assert tracked_for(a_item, "feedback_item").status == TrackedStatus.DONE
    assert answer.notice.is_published and list(answer.notice.audience_organisations.all()) == [org_a]


def test_similar_items_found_by_words(submit, member_b_admin):
    from huifu.servicedesk.selectors import similar_items

    a = submit(suggestions=["建议扩大铜期货交割库容"], help_requests=[]).items.get()
    b = submit(actor=member_b_admin, suggestions=["希望增加铜交割仓库的库容"], help_requests=[]).items.get()
    submit(suggestions=["建议优化交易系统接口文档"], help_requests=[])
    found = [i.pk for i, _score in similar_items(a)]
    assert found == [b.pk]


def test_satisfaction_by_member_of_company_only(replied_form, member_a_contact, member_b_admin):
    reply = replied_form.reply
    with pytest.raises(PermissionDenied):
        services.satisfaction_record(reply=reply, rating=5, actor=member_b_admin)
    with pytest.raises(ValidationError):
        services.satisfaction_record(reply=reply, rating=9, actor=member_a_contact)
    sat = services.satisfaction_record(reply=reply, rating=4, comment="答复及时", actor=member_a_contact)
    assert sat.rating == 4


def test_email_draft_then_confirm_keeps_received_time(official_calendar, org_a, coordinator):
    draft = services.feedback_create_draft(
        organisation=org_a,
        actor=None,
        contact_name="张三",
        phone="021-68400000",
        email="zhang@alpha.example",
        form_date=datetime.date(2024, 5, 6),
        suggestions=["建议降低保证金比例"],
        help_requests=[],
        received_at=at(2024, 5, 6),
        idempotency_key="<msg-1@alpha>",
    )
    assert draft.status == FormStatus.DRAFT and draft.serial is None
    again = services.feedback_create_draft(
        organisation=org_a,
        actor=None,
        contact_name="张三",
        phone="",
        email="zhang@alpha.example",
        form_date=datetime.date(2024, 5, 6),
        suggestions=[],
        help_requests=[],
        idempotency_key="<msg-1@alpha>",
    )
    assert again.pk == draft.pk
    form = services.feedback_confirm_draft(form=draft, actor=coordinator)
    assert form.serial == 1 and form.status == FormStatus.SUBMITTED
    assert china_date(tracked_for(form, FORM_KIND).due_at) == datetime.date(2024, 5, 20)


def test_each_submit_writes_an_audit_entry(submit):
    before = AuditEvent.objects.filter(action="create", target_type__model="feedbackform").count()
    submit()
    assert AuditEvent.objects.filter(action="create", target_type__model="feedbackform").count() == before + 1


def test_topic_names_unique(coordinator, db):
    services.topic_create(name="保证金", actor=coordinator)
    with pytest.raises(ValidationError):
        services.topic_create(name="保证金", actor=coordinator)
    assert Topic.objects.count() == 1


def test_one_operation_writes_one_audit_entry(submit, coordinator, dept_staff, dept_business, dept_msc):
    """Submit, assign, pause, member answer and reply send: one entry each (the tracked
    deadlines they open, move and close ride along without entries of their own)."""
    from huifu.tracking.models import TrackedItem

    def one_entry(call):
        before = AuditEvent.objects.count()
        result = call()
        assert AuditEvent.objects.count() == before + 1, list(
            AuditEvent.objects.order_by("pk")[before:].values_list("action", "target_type__model", "message")
        )
        return result

    form = one_entry(lambda: submit())
    assert TrackedItem.objects.filter(organisation=form.organisation).count() == 1 + form.items.count()
    item = form.items.first()
    one_entry(
        lambda: services.item_assign(
            item=item, owner=dept_staff, departments=[dept_business, dept_msc], actor=coordinator
        )
    )
    tracked = services_tracked(item)
    assert tracked.owner == dept_staff and set(tracked.departments.all()) == {dept_business, dept_msc}
    one_entry(lambda: services.feedback_pause(form=form, reason="请补充说明", actor=coordinator))
    one_entry(lambda: services.feedback_member_answer(form=form, text="补充如下", actor=form.submitted_by))
    reply = services.reply_compose(form=form, mode="written", actor=coordinator)
    reply = one_entry(lambda: services.reply_approve_send(reply=reply, actor=coordinator))
    assert reply.letter is not None
    assert services_tracked(item).status == "done"
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.target_type.model == "feedbackform" and reply.letter.original_name in event.message


def services_tracked(item):
    from huifu.tracking.services import tracked_for

    return tracked_for(item, "feedback_item")
