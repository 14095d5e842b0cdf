"""E-mail intake: Chinese encodings, matching, drafts, duplicates, triage, nothing dropped."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.audit.models import AuditEvent
from huifu.directory.models import Contact
from huifu.files.models import StoredFile
from huifu.intake import services
from huifu.intake.mailparse import decode_header_value, html_to_text, parse_mail
from huifu.intake.models import IntakeMessage, IntakeStatus, MatchMethod
from huifu.servicedesk.models import Channel, FeedbackForm, FormStatus

from .conftest import DOCX_TYPE, SUBJECT_A, build_eml, encoded_word, filled_form

pytestmark = pytest.mark.django_db


def test_gbk_subject_is_decoded():
    raw = build_eml(subject_header=encoded_word(SUBJECT_A, "GBK", "gbk"))
    assert parse_mail(raw).subject == SUBJECT_A


def test_gb2312_label_with_gbk_only_characters_decodes_as_gb18030():
    text = "喆期货有限公司“一站通”会员之声反馈"  # 喆 is not in GB2312
    assert decode_header_value(encoded_word(text, "GB2312", "gbk")) == text
    assert decode_header_value(encoded_word(text, "gb18030")) == text


def test_gbk_body_and_utf8_subject():
    raw = build_eml(body="意见建议：请延长夜盘", body_charset="gbk")
    mail = parse_mail(raw)
    assert mail.subject == SUBJECT_A and "请延长夜盘" in mail.body_text


def test_html_only_body_is_stripped_to_text():
    raw = build_eml(
        html="<html><head><style>p{}</style></head><body><p>您好&nbsp;：</p><div>希望向交易所反馈的意见建议：</div>"
        "<div>1. 建议A</div><script>x()</script></body></html>"
    )
    mail = parse_mail(raw)
    assert "<" not in mail.body_text and "建议A" in mail.body_text and "x()" not in mail.body_text
    assert html_to_text("<p>a<br>b</p>") == "a\nb"


def test_known_contact_with_docx_becomes_a_draft_form(official_calendar, org_a, member_a_admin):
    Contact.objects.create(organisation=org_a, name="张三", email="zhang@alpha.example")
    raw = build_eml(
        subject_header=encoded_word(SUBJECT_A, "GBK", "gbk"), attachments=[("反馈表.docx", filled_form(), DOCX_TYPE)]
    )
    message, created = services.intake_import(raw=raw, source="maildir")
    assert created and message.status == IntakeStatus.MATCHED
    assert message.organisation == org_a and message.match_method == MatchMethod.CONTACT_EMAIL
    form = message.feedback_form
    assert form.status == FormStatus.DRAFT and form.channel == Channel.EMAIL and form.serial is None
    assert [i.text for i in form.items.order_by("kind", "number")] == [
        "希望协助解决仓单质押登记问题。",
        "建议增加华南地区交割库。",
        "建议延长夜盘交易时间。",
    ]
    assert form.contact_name == "张三" and form.form_date == datetime.date(2023, 10, 9)
    attachment = message.attachments.get()
    assert attachment.is_form and attachment.file.organisation == org_a and form.source_file == attachment.file
    assert message.raw.content_type == "message/rfc822" and message.raw.file.read() == raw
    assert AuditEvent.objects.filter(target_type__model="intakemessage", target_id=str(message.pk)).count() == 1


def test_user_email_matches_and_body_items_fill_the_draft(official_calendar, org_a, member_a_contact):
    body = "您好：\n希望向交易所反馈的意见建议：\n1、建议甲\n2、建议乙\n希望交易所协助推动解决的事项：\n（1）事项甲"
    raw = build_eml(sender=member_a_contact.email, body=body)
    message, _ = services.intake_import(raw=raw, source="maildir")
    assert message.match_method == MatchMethod.USER_EMAIL and message.organisation == org_a
    form = message.feedback_form
    assert sorted(i.text for i in form.items.all()) == ["事项甲", "建议乙", "建议甲"]
    # The body gives no e-mail: the sender's address is offered, not written into the form.
    assert form.email == ""
    assert form.intake_report["suggested"]["email"] == {"value": member_a_contact.email, "source": "sender"}


def test_unknown_sender_is_matched_by_the_company_in_the_subject(official_calendar, org_b):
    raw = build_eml(sender="someone@gmail.example", subject=f"{org_b.name_zh}“一站通”会员之声反馈")
    message, _ = services.intake_import(raw=raw, source="maildir")
    assert message.status == IntakeStatus.MATCHED and message.organisation == org_b
    assert message.match_method == MatchMethod.SUBJECT


def test_unknown_sender_and_company_goes_to_triage_and_staff_resolve(official_calendar, coordinator, org_a):
    raw = build_eml(
        sender="stranger@nowhere.example",
        subject="某某期货公司“一站通”会员之声反馈",
        attachments=[("notes.txt", b"plain text", "text/plain")],
    )
    message, created = services.intake_import(raw=raw, source="maildir")
    assert created and message.status == IntakeStatus.NEW and message.feedback_form is None
    assert any("could not be matched" in p for p in message.problems)
    assert any("notes.txt" in p for p in message.problems)  # not a kept kind, but still in the raw message
    assert message.attachments.get().file is None
    assert not FeedbackForm.objects.exists()
    message = services.intake_resolve(actor=coordinator, message=message, organisation=org_a)
    assert message.status == IntakeStatus.TRIAGED and message.feedback_form.organisation == org_a
    assert message.feedback_form.email == ""  # not in the message's form: offered, not filled in
    assert message.feedback_form.intake_report["suggested"]["email"]["value"] == "stranger@nowhere.example"
    with pytest.raises(ValidationError):
        services.intake_resolve(actor=coordinator, message=message, organisation=org_a)


def test_duplicate_message_is_never_imported_twice(official_calendar, org_a, member_a_admin):
    raw = build_eml(sender=member_a_admin.email)
    first, created = services.intake_import(raw=raw, source="maildir")
    again, created_again = services.intake_import(raw=raw, source="imap")
    assert created and not created_again and again.pk == first.pk
    assert IntakeMessage.objects.count() == 1 and FeedbackForm.objects.count() == 1
    no_id = build_eml(sender=member_a_admin.email, message_id=None)
    a, _ = services.intake_import(raw=no_id, source="maildir")
    b, created_b = services.intake_import(raw=no_id, source="maildir")
    assert a.pk == b.pk and not created_b and a.message_key.startswith("sha256:")


def test_conflicting_company_goes_to_triage(official_calendar, org_a, org_b, member_a_admin):
    raw = build_eml(
        sender=member_a_admin.email, attachments=[("反馈表.docx", filled_form(company=org_b.name_zh), DOCX_TYPE)]
    )
    message, _ = services.intake_import(raw=raw, source="maildir")
    assert message.status == IntakeStatus.NEW and not FeedbackForm.objects.exists()


def test_known_sender_without_convention_waits_in_triage(official_calendar, org_a, member_a_admin, msc_user):
    raw = build_eml(sender=member_a_admin.email, subject="会议通知回执")
    message, _ = services.intake_import(raw=raw, source="maildir")
    assert message.status == IntakeStatus.NEW and message.organisation == org_a and not message.follows_convention
    with pytest.raises(ValidationError):
        services.intake_ignore(actor=msc_user, message=message, reason=" ")
    message = services.intake_ignore(actor=msc_user, message=message, reason="不是反馈")
    assert message.status == IntakeStatus.IGNORED


def test_only_mailbox_owners_resolve(official_calendar, dept_staff, member_a_admin, org_a):
    message, _ = services.intake_import(raw=build_eml(sender="x@y.example", subject="hi"), source="maildir")
    for user in (dept_staff, member_a_admin):
        with pytest.raises(PermissionDenied):
            services.intake_resolve(actor=user, message=message, organisation=org_a)
    message.refresh_from_db()
    assert message.status == IntakeStatus.NEW


def test_garbage_is_kept_not_dropped(official_calendar):
    message, created = services.intake_import(raw=b"\xff\xfe not a mail at all", source="maildir")
    assert created and message.status == IntakeStatus.NEW
    assert StoredFile.objects.get(pk=message.raw_id).size == len(b"\xff\xfe not a mail at all")


def test_a_body_form_naming_another_company_is_not_filed_for_the_sender(
    official_calendar, org_a, org_b, member_a_contact
):
    """Review: the company check covered an attached .docx only. A form typed into the body that
    names 乙 must not become a draft of 甲 (the sender's company) without a word."""
    body = f"单位名称：{org_b.name_zh}\n联系人：李四\n希望向交易所反馈的意见建议：\n1、建议乙"
    raw = build_eml(sender=member_a_contact.email, body=body)
    message, _ = services.intake_import(raw=raw, source="maildir")
    assert message.feedback_form is None and message.status == IntakeStatus.NEW
    assert any(org_b.name_zh in problem for problem in message.problems)


def test_a_second_word_document_in_the_mail_is_flagged_not_ignored(official_calendar, org_a, member_a_contact):
    """Review: two forms (or a cover letter and the form) attached to one mail: only the first
    .docx was read and the other was dropped without a word."""
    first = filled_form(serial="003")
    second = filled_form(serial="004", suggestions=["建议降低交割手续费。"])
    raw = build_eml(
        sender=member_a_contact.email,
        attachments=[("反馈表3.docx", first, DOCX_TYPE), ("反馈表4.docx", second, DOCX_TYPE)],
    )
    message, _ = services.intake_import(raw=raw, source="maildir")
    assert any("反馈表4.docx" in problem for problem in message.problems)
