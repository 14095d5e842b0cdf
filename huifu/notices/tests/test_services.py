"""The named operations: drafting, publishing (with its e-mails), withdrawing, reading, attachments."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.test import override_settings

from huifu.audit.models import AuditAction, AuditEvent
from huifu.notices.models import AudienceKind, Notice, NoticeAttachment, NoticeRead, NoticeStatus
from huifu.notices.services import (
    NoticeStateError,
    notice_attachment_add,
    notice_attachment_remove,
    notice_create_draft,
    notice_mark_read,
    notice_publish,
    notice_update,
    notice_withdraw,
)
from huifu.outbox.models import OutboxMessage

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


# --- Drafting ---------------------------------------------------------------------------------


def test_create_draft_defaults_department_and_audits(coordinator, dept_mm):
    notice = notice_create_draft(
        actor=coordinator, title=" 通知 ", body="正文", doc_number="上期发〔2023〕61号", audience_kind="all_members"
    )
    assert notice.status == NoticeStatus.DRAFT
    assert notice.title == "通知"
    assert notice.department == dept_mm
    assert notice.published_at is None
    events = AuditEvent.objects.for_object(notice)
    assert [e.action for e in events] == [AuditAction.CREATE]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"body": "  "}, "body"),
        ({"category": "nonsense"}, "category"),
        ({"audience_kind": "everyone"}, "audience_kind"),
        ({"audience_kind": "org_kinds", "audience_org_kinds": ["bank"]}, "audience_org_kinds"),
    ],
)
def test_create_draft_refuses_bad_fields_naming_them(coordinator, fields, field):
    data = {"title": "通知", "body": "正文", **fields}
    with pytest.raises(ValidationError) as exc:
        notice_create_draft(actor=coordinator, **data)
    assert field in exc.value.message_dict
    assert Notice.objects.count() == 0


def test_doc_number_is_unique_when_given(coordinator):
    notice_create_draft(actor=coordinator, title="一", body="正文", doc_number="上期发〔2023〕61号")
    with pytest.raises(ValidationError) as exc:
        notice_create_draft(actor=coordinator, title="二", body="正文", doc_number="上期发〔2023〕61号")
    assert "doc_number" in exc.value.message_dict
    # Empty numbers never collide.
    notice_create_draft(actor=coordinator, title="三", body="正文")
    notice_create_draft(actor=coordinator, title="四", body="正文")
    assert Notice.objects.count() == 3


def test_non_staff_cannot_draft(member_a_admin):
    with pytest.raises(PermissionDenied):
        notice_create_draft(actor=member_a_admin, title="通知", body="正文")
    assert Notice.objects.count() == 0


def test_update_draft_records_the_diff(make_notice, coordinator, org_a):
    notice = make_notice(publish=False)
    notice_update(
        actor=coordinator,
        notice=notice,
        title="新标题",
        audience_kind=AudienceKind.ORGANISATIONS,
        audience_organisations=[org_a],
    )
    notice.refresh_from_db()
    assert notice.title == "新标题"
    assert list(notice.audience_organisations.all()) == [org_a]
    update = AuditEvent.objects.for_object(notice).get(action=AuditAction.UPDATE)
    assert update.changes["title"][1] == "新标题"
    assert update.changes["audience_organisations"] == [[], [org_a.pk]]


def test_published_notice_cannot_be_edited(make_notice, coordinator):
    notice = make_notice()
    with pytest.raises(NoticeStateError):
        notice_update(actor=coordinator, notice=notice, title="改了")
    notice.refresh_from_db()
    assert notice.title != "改了"


def test_drafter_colleague_may_edit_other_department_may_not(make_notice, dept_staff, finance_user):
    notice = make_notice(publish=False, actor=dept_staff)
    notice_update(actor=dept_staff, notice=notice, title="本部门修改")
    with pytest.raises(PermissionDenied):
        notice_update(actor=finance_user, notice=notice, title="他部门修改")
    notice.refresh_from_db()
    assert notice.title == "本部门修改"


# --- Publishing ---------------------------------------------------------------------------------


def test_publish_writes_one_mail_per_audience_user_only(
    make_notice,
    coordinator,
    org_a,
    member_a_admin,
    member_a_contact,
    member_b_admin,
    partner_user,
    django_capture_on_commit_callbacks,
):
    notice = make_notice(
        publish=False, title="致甲公司", audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a]
    )
    with override_settings(SITE_URL="https://huifu.example"), django_capture_on_commit_callbacks(execute=True):
        notice_publish(actor=coordinator, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.published_at is not None
    rows = OutboxMessage.objects.filter(topic="notice_published")
    assert sorted(rows.values_list("to", flat=True)) == sorted([member_a_admin.email, member_a_contact.email])
    for row in rows:
        assert row.subject == "[会服通知] 致甲公司"
        assert f"https://huifu.example/notices/{notice.pk}/" in row.body_text
        assert row.organisation_id == org_a.pk
    assert not OutboxMessage.objects.filter(to__in=[member_b_admin.email, partner_user.email]).exists()
    transitions = AuditEvent.objects.for_object(notice).filter(action=AuditAction.TRANSITION)
    assert [t.changes["status"] for t in transitions] == [["draft", "published"]]


def test_publish_delivers_after_commit(
    make_notice, coordinator, member_a_admin, member_b_admin, django_capture_on_commit_callbacks
):
    notice = make_notice(publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        notice_publish(actor=coordinator, notice=notice)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member_a_admin.email, member_b_admin.email])
    assert OutboxMessage.objects.filter(status="sent").count() == 2


def test_rolled_back_publication_sends_nothing(
    make_notice, coordinator, member_a_admin, django_capture_on_commit_callbacks
):
    notice = make_notice(publish=False)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notice_publish(actor=coordinator, notice=notice)
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT


def test_publish_without_notify_writes_no_mail(make_notice, member_a_admin):
    make_notice(notify=False)
    assert OutboxMessage.objects.count() == 0


def test_publish_refuses_empty_audience(coordinator):
    notice = notice_create_draft(actor=coordinator, title="无对象", body="正文", audience_kind="organisations")
    with pytest.raises(ValidationError) as exc:
        notice_publish(actor=coordinator, notice=notice)
    assert "audience_organisations" in exc.value.message_dict
    notice = notice_create_draft(actor=coordinator, title="无类别", body="正文", audience_kind="org_kinds")
    with pytest.raises(ValidationError) as exc:
        notice_publish(actor=coordinator, notice=notice)
    assert "audience_org_kinds" in exc.value.message_dict
    assert Notice.objects.filter(status=NoticeStatus.PUBLISHED).count() == 0


def test_who_may_publish(make_notice, dept_staff, dept_head, finance_user, coordinator, dept_finance):
    from huifu.core.testing.factories import staff_user

    finance_head = staff_user(dept_finance, email="fhead@shfe.example", is_department_head=True)
    notice = make_notice(publish=False, actor=dept_staff)  # issued by the business department
    for user in (dept_staff, finance_user, finance_head):
        with pytest.raises(PermissionDenied):
            notice_publish(actor=user, notice=notice)
    notice.refresh_from_db()
    assert notice.is_draft
    notice_publish(actor=dept_head, notice=notice)
    other = make_notice(publish=False, actor=dept_staff)
    notice_publish(actor=coordinator, notice=other)


# --- State machine ----------------------------------------------------------------------------


def test_state_machine_refuses_illegal_moves(make_notice, coordinator):
    draft = make_notice(publish=False)
    with pytest.raises(NoticeStateError):
        notice_withdraw(actor=coordinator, notice=draft, reason="不需要")
    published = make_notice()
    with pytest.raises(NoticeStateError):
        notice_publish(actor=coordinator, notice=published)
    notice_withdraw(actor=coordinator, notice=published, reason="内容有误")
    published.refresh_from_db()
    assert published.status == NoticeStatus.WITHDRAWN
    assert published.withdrawn_reason == "内容有误" and published.withdrawn_at is not None
    with pytest.raises(NoticeStateError):
        notice_publish(actor=coordinator, notice=published)
    with pytest.raises(NoticeStateError):
        notice_withdraw(actor=coordinator, notice=published, reason="再次")
    with pytest.raises(NoticeStateError):
        notice_update(actor=coordinator, notice=published, title="改")


def test_withdraw_needs_a_reason(make_notice, coordinator):
    notice = make_notice()
    with pytest.raises(ValidationError) as exc:
        notice_withdraw(actor=coordinator, notice=notice, reason="   ")
    assert "reason" in exc.value.message_dict
    notice.refresh_from_db()
    assert notice.is_published


def test_database_refuses_published_without_date(make_notice):
    from django.db import IntegrityError

    notice = make_notice(publish=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.PUBLISHED)


# --- Reading ----------------------------------------------------------------------------------


def test_mark_read_is_idempotent_and_keeps_organisation(make_notice, member_a_contact, org_a):
    notice = make_notice()
    receipt, created = notice_mark_read(actor=member_a_contact, notice=notice)
    again, created_again = notice_mark_read(actor=member_a_contact, notice=notice)
    assert created and not created_again
    assert receipt.pk == again.pk and receipt.organisation_id == org_a.pk
    assert NoticeRead.objects.count() == 1
    reads = AuditEvent.objects.for_object(notice).filter(message="read")
    assert reads.count() == 1


def test_mark_read_only_for_the_audience(make_notice, org_a, member_b_admin, coordinator, member_a_admin):
    named = make_notice(audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a])
    with pytest.raises(Http404):
        notice_mark_read(actor=member_b_admin, notice=named)
    with pytest.raises(Http404):
        notice_mark_read(actor=coordinator, notice=named)
    draft = make_notice(publish=False)
    with pytest.raises(Http404):
        notice_mark_read(actor=member_a_admin, notice=draft)
    assert NoticeRead.objects.count() == 0


# --- Attachments --------------------------------------------------------------------------------


def test_attachments_only_on_drafts(make_notice, coordinator):
    draft = make_notice(publish=False)
    first = notice_attachment_add(actor=coordinator, notice=draft, upload=pdf_upload("一.pdf"))
    second = notice_attachment_add(actor=coordinator, notice=draft, upload=pdf_upload("二.pdf"))
    assert (first.order, second.order) == (1, 2)
    assert first.file.purpose == "notice_attachment" and first.file.organisation_id is None
    notice_attachment_remove(actor=coordinator, attachment=first)
    assert list(draft.attachments.values_list("file__original_name", flat=True)) == ["二.pdf"]
    notice_publish(actor=coordinator, notice=draft, notify=False)
    with pytest.raises(NoticeStateError):
        notice_attachment_add(actor=coordinator, notice=draft, upload=pdf_upload("三.pdf"))
    with pytest.raises(NoticeStateError):
        notice_attachment_remove(actor=coordinator, attachment=second)
    assert NoticeAttachment.objects.count() == 1


def test_attachment_of_a_bad_kind_is_refused(make_notice, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = make_notice(publish=False)
    with pytest.raises(ValidationError):
        notice_attachment_add(
            actor=coordinator, notice=draft, upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf")
        )
    assert NoticeAttachment.objects.count() == 0
