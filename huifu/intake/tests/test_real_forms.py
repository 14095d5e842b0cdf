"""Issue #8: forms written in a real office suite or webmail are read item by item and field by
field, never merged, never invented; what was not read says so."""

from __future__ import annotations

import datetime
import io
import time
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from huifu.core.testing.auth import login
from huifu.files.validation import check_office_zip
from huifu.intake import services
from huifu.intake.mailparse import parse_mail, strip_quotes_and_signature
from huifu.intake.wordparse import FieldStatus, FormReadError, parse_form, parse_text
from huifu.servicedesk.models import FeedbackForm, FormStatus

from .conftest import docx_upload, filled_form
from .realdocs import (
    FORM_TABLE_HTML,
    QUOTES,
    SIGNATURES,
    bomb_docx,
    bomb_xlsx,
    html_mail,
    table_layout_form,
    word_numbered_form,
)

# The Word forms are written with the exchange's name from its identity data (one read of the database).
pytestmark = pytest.mark.django_db


def _status(parsed, field):
    return parsed.fields[field].status


# --- Word automatic numbering -------------------------------------------------------------------


def test_word_automatic_numbering_gives_one_item_per_numbered_paragraph():
    parsed = parse_form(word_numbered_form())
    assert parsed.suggestions == ["建议增加华南地区交割库。", "建议延长夜盘交易时间。"]
    assert parsed.help_requests == ["希望协助解决仓单质押登记问题。", "希望协助推动期权做市商准入。"]
    assert parsed.ok, parsed.problems


def test_nested_numbering_levels_are_each_an_item_and_plain_paragraphs_continue():
    content = word_numbered_form(
        suggestions=(("建议一", 0), ("细项甲", 1), ("细项乙", 1), ("补充说明", None), ("建议二", 0)),
        help_requests=(("事项一", 0), ("事项二", 2)),
    )
    parsed = parse_form(content)
    assert parsed.suggestions == ["建议一", "细项甲", "细项乙\n补充说明", "建议二"]
    assert parsed.help_requests == ["事项一", "事项二"]


def test_word_bullets_are_items():
    parsed = parse_form(word_numbered_form(fmt="bullet"))
    assert len(parsed.suggestions) == 2 and len(parsed.help_requests) == 2


def test_numbering_from_a_list_style_is_recognised():
    parsed = parse_form(word_numbered_form(style="List Number"))
    assert parsed.suggestions == ["建议增加华南地区交割库。", "建议延长夜盘交易时间。"]
    assert parsed.help_requests == ["希望协助解决仓单质押登记问题。", "希望协助推动期权做市商准入。"]


def test_numbering_removed_with_num_id_zero_is_not_an_item():
    content = word_numbered_form(suggestions=(("建议一", 0), ("第二行", 0)))
    document = Document(io.BytesIO(content))
    cell = document.tables[0].rows[2].cells[0]
    second = [p for p in cell.paragraphs if p.text == "第二行"][0]
    second._p.pPr.numPr.numId.val = 0  # Word writes numId 0 for "numbering turned off"
    buffer = io.BytesIO()
    document.save(buffer)
    assert parse_form(buffer.getvalue()).suggestions == ["建议一\n第二行"]


def test_mixed_typed_and_automatic_numbers_never_merge():
    content = word_numbered_form(suggestions=(("1. 打字编号的建议", None), ("自动编号的建议", 0)))
    parsed = parse_form(content)
    assert parsed.suggestions == ["打字编号的建议", "自动编号的建议"]


def test_member_upload_with_word_numbering_records_every_item(official_calendar, member_a_admin):
    form, parsed, again = services.docx_submit_member(actor=member_a_admin, upload=docx_upload(word_numbered_form()))
    assert not again
    items = list(form.items.order_by("kind", "number").values_list("kind", "number", "text"))
    assert items == [
        ("help_request", 1, "希望协助解决仓单质押登记问题。"),
        ("help_request", 2, "希望协助推动期权做市商准入。"),
        ("suggestion", 1, "建议增加华南地区交割库。"),
        ("suggestion", 2, "建议延长夜盘交易时间。"),
    ]


# --- the form as one table ----------------------------------------------------------------------


@pytest.mark.parametrize("items_below_label", [False, True])
def test_table_layout_reads_serial_date_fields_and_items(items_below_label):
    parsed = parse_form(table_layout_form(items_below_label=items_below_label))
    assert parsed.ok, parsed.problems
    assert parsed.serial == "007" and parsed.form_date == datetime.date(2026, 3, 5)
    assert (parsed.company, parsed.contact, parsed.phone, parsed.email) == (
        "甲期货有限公司",
        "张三",
        "021-68400000",
        "zhang@alpha.example",
    )
    assert parsed.suggestions == ["建议增加华南地区交割库。", "建议延长夜盘交易时间。"]
    assert parsed.help_requests == ["希望协助解决仓单质押登记问题。"]
    assert all(f["status"] == FieldStatus.READ for f in parsed.report())


def test_member_upload_of_table_layout_is_accepted_with_its_own_number(official_calendar, member_a_admin):
    form, _parsed, _again = services.docx_submit_member(actor=member_a_admin, upload=docx_upload(table_layout_form()))
    assert form.status == FormStatus.SUBMITTED and form.form_date == datetime.date(2026, 3, 5)
    assert form.serial == 1 and form.member_number == "007" and form.member_number_differs
    assert form.items.count() == 3


def test_staff_draft_of_table_layout_keeps_date_and_number(official_calendar, msc_user, org_a):
    form, _parsed, _again = services.docx_draft_staff(actor=msc_user, upload=docx_upload(table_layout_form()))
    assert form.form_date == datetime.date(2026, 3, 5) and form.member_number == "007"
    assert form.intake_report["expected_serial"] == 1 and form.member_number_differs


# --- the member's own number ---------------------------------------------------------------------


def test_own_numbers_are_kept_beside_huifus_serial(official_calendar, member_a_admin):
    forms = []
    for own, idea in (("003", "甲"), ("007", "乙"), ("005", "丙")):
        content = filled_form(serial=own, suggestions=[f"建议{idea}"])
        forms.append(services.docx_submit_member(actor=member_a_admin, upload=docx_upload(content)).form)
    assert [(f.serial, f.member_number) for f in forms] == [(1, "003"), (2, "007"), (3, "005")]
    assert [f.member_number_differs for f in forms] == [True, True, True]
    same = services.docx_submit_member(
        actor=member_a_admin, upload=docx_upload(filled_form(serial="4", suggestions=["建议丁"]))
    ).form
    assert same.member_number == "004" and not same.member_number_differs


def test_serial_given_twice_differently_is_ambiguous_not_guessed():
    document = Document(io.BytesIO(table_layout_form(serial="005")))
    document.add_paragraph("编号：003")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_form(buffer.getvalue())
    assert parsed.serial == "" and _status(parsed, "serial") == FieldStatus.AMBIGUOUS
    assert "005" in parsed.fields["serial"].seen and "003" in parsed.fields["serial"].seen


# --- missing fields and directory suggestions ----------------------------------------------------


def test_absent_email_stays_empty_and_the_directory_value_is_only_suggested(
    official_calendar, msc_user, coordinator, org_a
):
    org_a.email = "office@alpha.example"
    org_a.save()
    form, parsed, _ = services.docx_draft_staff(actor=msc_user, upload=docx_upload(table_layout_form(email=None)))
    assert form.email == "" and _status(parsed, "email") == FieldStatus.MISSING
    assert form.intake_report["suggested"]["email"] == {"value": "office@alpha.example", "source": "directory"}
    report = {f["field"]: f for f in form.intake_report["fields"]}
    assert report["email"]["status"] == "missing" and report["email"]["value"] == ""
    # Cannot be confirmed while the e-mail is missing; staff accept the suggestion, then confirm.
    with pytest.raises(ValidationError) as exc:
        services_sd().feedback_confirm_draft(form=form, actor=coordinator)
    assert "email" in exc.value.message_dict
    form = services_sd().feedback_accept_suggestion(form=form, actor=coordinator, field="email")
    assert form.email == "office@alpha.example" and "email" in form.intake_report["accepted"]
    form = services_sd().feedback_confirm_draft(form=form, actor=coordinator)
    assert form.status == FormStatus.SUBMITTED


def test_missing_field_is_never_filled_with_the_exchanges_mailbox(official_calendar, msc_user, org_a):
    org_a.email = ""
    org_a.save()
    form, _parsed, _ = services.docx_draft_staff(actor=msc_user, upload=docx_upload(table_layout_form(email=None)))
    assert form.email == "" and "email" not in form.intake_report["suggested"]
    assert "msc@shfe.com.cn" not in str(form.intake_report)


def test_missing_date_stays_empty_on_a_staff_draft(official_calendar, msc_user, org_a):
    content = filled_form(date_text="2023年  月  日")
    form, parsed, _ = services.docx_draft_staff(actor=msc_user, upload=docx_upload(content))
    assert form.form_date is None and _status(parsed, "form_date") == FieldStatus.MISSING


def test_accepting_needs_a_suggestion_and_a_draft(official_calendar, msc_user, coordinator, org_a):
    form, _parsed, _ = services.docx_draft_staff(actor=msc_user, upload=docx_upload(filled_form()))
    with pytest.raises(ValidationError):
        services_sd().feedback_accept_suggestion(form=form, actor=coordinator, field="email")
    with pytest.raises(ValidationError):
        services_sd().feedback_accept_suggestion(form=form, actor=coordinator, field="company")


def services_sd():
    from huifu.servicedesk import services as sd

    return sd


# --- re-upload --------------------------------------------------------------------------------------


def test_reupload_of_a_submitted_document_says_already_received(official_calendar, member_a_admin, msc_user):
    content = filled_form()
    first = services.docx_submit_member(actor=member_a_admin, upload=docx_upload(content))
    assert not first.already_received
    again = services.docx_submit_member(actor=member_a_admin, upload=docx_upload(content))
    assert again.already_received and again.form.pk == first.form.pk
    staff = services.docx_draft_staff(actor=msc_user, upload=docx_upload(content))
    assert staff.already_received and staff.form.pk == first.form.pk
    assert FeedbackForm.objects.count() == 1


def test_reupload_page_links_to_the_received_form(client, official_calendar, member_a_admin, msc_user):
    content = filled_form()
    first = services.docx_submit_member(actor=member_a_admin, upload=docx_upload(content)).form
    login(client, msc_user)
    response = client.post("/intake/upload/", {"file": docx_upload(content)}, follow=True)
    page = response.content.decode()
    assert f"已作为 {first.year}-001 收到" in page
    assert f'href="{first.get_absolute_url()}"' in page
    assert "已根据文档生成反馈表草稿" not in page


def test_member_reupload_of_a_document_staff_drafted_lands_on_a_page_it_may_see(
    client, official_calendar, org_a, member_a_admin, msc_user
):
    """Review: staff read the paper form into a draft; the member then uploads the same file.
    The member cannot open drafts, so the "already received" link and redirect led to 404."""
    content = filled_form()
    draft = services.docx_draft_staff(actor=msc_user, upload=docx_upload(content), organisation=org_a).form
    login(client, member_a_admin)
    response = client.post("/intake/upload/", {"file": docx_upload(content)}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "草稿" in page
    assert f'href="{draft.get_absolute_url()}"' not in page
    assert FeedbackForm.objects.count() == 1


# --- the per-field report -----------------------------------------------------------------------


def test_every_parse_reports_every_field_with_the_text_seen():
    parsed = parse_form(filled_form(email=""))
    report = {f["field"]: f for f in parsed.report()}
    assert list(report) == [
        "serial",
        "form_date",
        "company",
        "contact",
        "phone",
        "email",
        "suggestions",
        "help_requests",
    ]
    assert report["company"] == {
        "field": "company",
        "status": "read",
        "seen": "期货公司名称 甲期货有限公司",
        "value": "甲期货有限公司",
    }
    assert report["email"]["status"] == "missing"
    assert report["form_date"]["status"] == "read" and "2023年10月09日" in report["form_date"]["seen"]


def test_report_is_stored_and_shown_to_staff_in_chinese(client, official_calendar, msc_user, coordinator, org_a):
    org_a.email = "office@alpha.example"
    org_a.save()
    form, _parsed, _ = services.docx_draft_staff(actor=msc_user, upload=docx_upload(table_layout_form(email=None)))
    assert form.intake_report["fields"]
    login(client, coordinator)
    page = client.get(form.get_absolute_url()).content.decode()
    assert "已读取" in page and "文档中未找到" in page
    assert 'data-field="email" data-status="missing"' in page
    assert "office@alpha.example" in page and "接受建议" in page  # offered with an accept button
    assert 'data-testid="member-number"' in page and 'data-testid="member-number-differs"' in page
    response = client.post(reverse("servicedesk:form_accept_suggestion", args=[form.pk]), {"field": "email"})
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.email == "office@alpha.example"


def test_refused_member_upload_shows_the_report(client, official_calendar, member_a_admin):
    login(client, member_a_admin)
    response = client.post("/intake/upload/", {"file": docx_upload(table_layout_form(email=None))})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="intake-report"' in page
    assert "文档中未找到" in page and not FeedbackForm.objects.exists()


# --- HTML-only mail with the form as a table -------------------------------------------------------


@pytest.mark.parametrize("tail", [*SIGNATURES.values(), *QUOTES.values(), ""], ids=[*SIGNATURES, *QUOTES, "none"])
def test_html_table_mail_reads_fields_and_cuts_signature_and_quotes(tail):
    mail = parse_mail(html_mail(html=FORM_TABLE_HTML.replace("{tail}", tail)))
    parsed, found = parse_text(mail.form_text)
    assert found
    assert parsed.serial == "005" and parsed.form_date == datetime.date(2026, 3, 5)
    assert (parsed.company, parsed.contact, parsed.phone, parsed.email) == (
        "甲期货有限公司",
        "张三",
        "021-68400000",
        "zhang@alpha.example",
    )
    assert parsed.suggestions == ["建议增加华南地区交割库。", "建议延长夜盘交易时间。"]
    assert parsed.help_requests == ["希望协助解决仓单质押登记问题。", "希望协助推动期权做市商准入。"]


def test_html_table_mail_becomes_a_complete_draft(official_calendar, org_a, member_a_contact):
    tail = SIGNATURES["name card"] + QUOTES["qq/163 写道"]
    raw = html_mail(html=FORM_TABLE_HTML.replace("{tail}", tail), sender=member_a_contact.email)
    message, _created = services.intake_import(raw=raw, source="maildir")
    form = message.feedback_form
    assert form.phone == "021-68400000" and form.form_date == datetime.date(2026, 3, 5)
    assert form.member_number == "005" and form.email == "zhang@alpha.example"
    texts = list(form.items.filter(kind="help_request").order_by("number").values_list("text", flat=True))
    assert texts == ["希望协助解决仓单质押登记问题。", "希望协助推动期权做市商准入。"]
    assert message.extracted["report"][0]["field"] == "serial"


def test_plain_text_quotes_and_signatures_are_cut():
    text = "1. 建议一\n2. 建议二\n\n--\n张三\n电话：021-1\n\n> 原文\n"
    assert strip_quotes_and_signature(text) == "1. 建议一\n2. 建议二"
    text = "1. 建议一\n\nOn Mon, 2 Mar 2026 at 10:00, MSC <msc@shfe.com.cn> wrote:\n> 2. 旧"
    assert strip_quotes_and_signature(text) == "1. 建议一"


# --- decompression bombs ----------------------------------------------------------------------------


def test_docx_bomb_is_refused_fast_before_parsing(official_calendar, member_a_admin):
    bomb = bomb_docx(400)
    assert len(bomb) < 600 * 1024  # ~400 KB on disk, 400 MiB inflated
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(FormReadError) as exc:
        parse_form(bomb)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "400 MB" in str(exc.value)
    assert elapsed < 1.0 and peak < 20 * 1024 * 1024
    with pytest.raises(ValidationError) as upload_exc:
        services.docx_submit_member(actor=member_a_admin, upload=docx_upload(bomb))
    assert "400 MB" in upload_exc.value.message_dict["file"][0]
    assert not FeedbackForm.objects.exists()


def test_office_zip_check_passes_real_documents():
    check_office_zip(filled_form())
    check_office_zip(table_layout_form())


def test_xlsx_bombs_are_refused_by_both_importers_before_openpyxl():
    from huifu.directory.xlsx import ImportFileError, read_sheet
    from huifu.tradingdata.importers.common import ImportRejected
    from huifu.tradingdata.importers.daily import iter_rows

    bomb = bomb_xlsx(400)
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as exc:
        read_sheet(io.BytesIO(bomb), [])
    assert "400 MB" in str(exc.value)
    with pytest.raises(ImportRejected) as rejected:
        list(iter_rows(lambda: io.BytesIO(bomb), "xlsx"))
    assert "400 MB" in rejected.value.errors.items[0].message
    assert time.perf_counter() - started < 1.0


def test_xlsx_bomb_upload_is_refused_by_the_file_checks(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from huifu.files.kinds import SPREADSHEET_KINDS
    from huifu.files.validation import validate_upload

    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("data.xlsx", bomb_xlsx(400)), SPREADSHEET_KINDS)
    assert exc.value.code == "zip_bomb"


def test_table_layout_form_attached_to_a_mail_keeps_date_and_number(official_calendar, org_a, member_a_contact):
    from .conftest import DOCX_TYPE, build_eml

    raw = build_eml(sender=member_a_contact.email, attachments=[("反馈表.docx", table_layout_form(), DOCX_TYPE)])
    message, _created = services.intake_import(raw=raw, source="maildir")
    form = message.feedback_form
    assert form.form_date == datetime.date(2026, 3, 5) and form.member_number == "007"
    assert form.intake_report["source"] == "docx" and form.items.count() == 3


def test_staff_complete_a_draft_the_document_left_incomplete(client, official_calendar, msc_user, coordinator, org_a):
    org_a.phone = ""
    org_a.save()
    content = filled_form(phone="", date_text="2026年  月  日")
    form, _parsed, _ = services.docx_draft_staff(actor=msc_user, upload=docx_upload(content))
    assert form.phone == "" and form.form_date is None and "phone" not in form.intake_report["suggested"]
    login(client, coordinator)
    page = client.get(form.get_absolute_url()).content.decode()
    assert 'data-testid="correct-draft" open' in page
    client.post(
        reverse("servicedesk:form_correct_draft", args=[form.pk]),
        {"contact_name": "张三", "phone": "021-68400000", "email": "zhang@alpha.example", "form_date": "2026-03-05"},
    )
    form.refresh_from_db()
    assert (form.phone, form.form_date) == ("021-68400000", datetime.date(2026, 3, 5))
    assert form.items.count() == 3  # the items read from the document are kept
    client.post(reverse("servicedesk:form_confirm", args=[form.pk]))
    form.refresh_from_db()
    assert form.status == FormStatus.SUBMITTED and form.serial == 1


@pytest.mark.parametrize("persona", ["member_a_admin", "dept_staff"])
def test_only_managers_accept_suggestions_or_correct_drafts(
    request, client, official_calendar, msc_user, org_a, persona
):
    org_a.email = "office@alpha.example"
    org_a.save()
    form, _parsed, _ = services.docx_draft_staff(actor=msc_user, upload=docx_upload(table_layout_form(email=None)))
    login(client, request.getfixturevalue(persona))
    accept = client.post(reverse("servicedesk:form_accept_suggestion", args=[form.pk]), {"field": "email"})
    correct = client.post(
        reverse("servicedesk:form_correct_draft", args=[form.pk]),
        {"contact_name": "x", "phone": "021-68400000", "email": "x@example.com", "form_date": "2026-03-05"},
    )
    assert accept.status_code in (403, 404) and correct.status_code in (403, 404)
    form.refresh_from_db()
    assert (form.email, form.contact_name) == ("", "张三") and "accepted" not in form.intake_report


def test_word_numbered_items_that_begin_like_a_label_stay_items():
    content = word_numbered_form(
        suggestions=(("电话会议系统应支持会员接入。", 0), ("联系人变更应可在线办理。", 0)),
        help_requests=(("邮箱地址变更流程过长。", 0),),
    )
    parsed = parse_form(content)
    assert parsed.suggestions == ["电话会议系统应支持会员接入。", "联系人变更应可在线办理。"]
    assert parsed.help_requests == ["邮箱地址变更流程过长。"]
    assert (parsed.phone, parsed.contact, parsed.email) == ("021-68400000", "张三", "zhang@alpha.example")


def test_numbered_section_headings_are_found():
    parsed, found = parse_text(
        "一、希望向交易所反馈的意见建议：\n1. 建议甲\n2. 建议乙\n二、希望交易所协助推动解决的事项：\n（1）事项甲"
    )
    assert found and parsed.suggestions == ["建议甲", "建议乙"] and parsed.help_requests == ["事项甲"]


def test_lists_show_the_companys_own_number_beside_the_serial(client, official_calendar, member_a_admin, coordinator):
    services.docx_submit_member(actor=member_a_admin, upload=docx_upload(table_layout_form()))
    login(client, coordinator)
    staff_page = client.get(reverse("servicedesk:feedback_list")).content.decode()
    assert "-001</a>" in staff_page and 'class="badge badge-warn">（007）' in staff_page
    client.logout()
    login(client, member_a_admin)
    member_page = client.get(reverse("servicedesk:feedback_list")).content.decode()
    assert "（007）" in member_page and 'badge-warn">（007）' not in member_page


def test_a_thank_you_line_inside_the_form_does_not_cut_the_rest_off():
    """Review: "谢谢！" between the sections (or at the top) was taken for the closing of the mail
    and every later line was dropped: the help requests vanished without a word."""
    body = "希望向交易所反馈的意见建议：\n1、建议增加夜盘品种\n谢谢！\n希望交易所协助推动解决的事项：\n1、协助仓单登记"
    parsed, _found = parse_text(strip_quotes_and_signature(body))
    assert parsed.suggestions == ["建议增加夜盘品种"] and parsed.help_requests == ["协助仓单登记"]
    top = "谢谢！\n希望向交易所反馈的意见建议：\n1、建议增加夜盘品种\n\n此致\n敬礼\n张三"
    assert strip_quotes_and_signature(top) == "希望向交易所反馈的意见建议：\n1、建议增加夜盘品种"


def test_form_fields_typed_at_the_end_of_the_body_are_not_taken_for_a_name_card():
    body = (
        "希望向交易所反馈的意见建议：\n1、建议增加夜盘品种\n联系人：张三\n电话：021-68400000\n邮箱：zhang@alpha.example"
    )
    parsed, _found = parse_text(strip_quotes_and_signature(body))
    assert (parsed.contact, parsed.phone, parsed.email) == ("张三", "021-68400000", "zhang@alpha.example")
    # A real name card after the form is still cut.
    signed = body + "\n\n李四\n电话：010-1234\n地址：上海"
    assert "李四" not in strip_quotes_and_signature(signed)
