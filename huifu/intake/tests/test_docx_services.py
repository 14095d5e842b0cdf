"""Uploading a filled Word form: members for their own company, staff into a draft."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.files.models import StoredFile
from huifu.intake import services
from huifu.servicedesk.models import Channel, FeedbackForm, FormStatus

from .conftest import docx_upload, filled_form

pytestmark = pytest.mark.django_db


def test_member_upload_submits_a_form_of_their_company(official_calendar, member_a_admin, org_a):
    content = filled_form()
    form, parsed, _dup = services.docx_submit_member(actor=member_a_admin, upload=docx_upload(content))
    assert form.organisation == org_a and form.channel == Channel.DOCX and form.status == FormStatus.SUBMITTED
    assert form.serial == 1 and form.items.count() == 3 and parsed.ok
    assert form.source_file.organisation == org_a
    # The same file uploaded again (double-click) is the same form.
    again, _, again_dup = services.docx_submit_member(actor=member_a_admin, upload=docx_upload(content))
    assert again.pk == form.pk and FeedbackForm.objects.count() == 1


def test_member_upload_naming_another_company_is_refused(official_calendar, member_a_admin, org_b):
    with pytest.raises(ValidationError) as exc:
        services.docx_submit_member(actor=member_a_admin, upload=docx_upload(filled_form(company=org_b.name_zh)))
    assert "乙期货有限公司" in exc.value.message_dict["company"][0]
    assert not FeedbackForm.objects.exists() and not StoredFile.objects.exists()


def test_member_upload_with_unreadable_parts_lists_them(official_calendar, member_a_admin):
    content = filled_form(date_text="2023年  月  日", email="", suggestions=[], help_requests=[])
    with pytest.raises(ValidationError) as exc:
        services.docx_submit_member(actor=member_a_admin, upload=docx_upload(content))
    assert {"form_date", "email", "suggestions"} <= set(exc.value.message_dict)
    assert not FeedbackForm.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("form.docx", b"hello", "not a Word"),
        ("form.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".doc"),
        ("form.pdf", b"%PDF-1.4\n%%EOF\n", "not a Word"),
    ],
)
def test_malformed_uploads_are_refused_clearly(official_calendar, member_a_admin, name, content, expected):
    with pytest.raises(ValidationError) as exc:
        services.docx_submit_member(actor=member_a_admin, upload=docx_upload(content, name))
    assert expected in exc.value.message_dict["file"][0]


def test_docx_renamed_to_pdf_is_refused_by_the_file_checks(official_calendar, member_a_admin):
    with pytest.raises(ValidationError) as exc:
        services.docx_submit_member(actor=member_a_admin, upload=docx_upload(filled_form(), "form.pdf"))
    assert "file" in exc.value.message_dict and not FeedbackForm.objects.exists()


def test_staff_cannot_submit_as_member_and_partner_cannot_upload(official_calendar, coordinator, partner_user):
    for user in (coordinator, partner_user):
        with pytest.raises(PermissionDenied):
            services.docx_submit_member(actor=user, upload=docx_upload(filled_form()))


def test_staff_upload_makes_a_draft_for_the_named_company(official_calendar, msc_user, org_a):
    form, parsed, _dup = services.docx_draft_staff(actor=msc_user, upload=docx_upload(filled_form(email="")))
    assert form.status == FormStatus.DRAFT and form.organisation == org_a and form.channel == Channel.DOCX
    assert parsed.problem_for("email")  # reported; staff complete it before confirming


def test_staff_upload_of_unknown_company_asks_for_the_company(official_calendar, msc_user, org_b):
    upload = docx_upload(filled_form(company="不存在期货有限公司"))
    with pytest.raises(ValidationError) as exc:
        services.docx_draft_staff(actor=msc_user, upload=upload)
    assert "不存在期货有限公司" in exc.value.message_dict["organisation"][0]
    form, parsed, _dup = services.docx_draft_staff(
        actor=msc_user, upload=docx_upload(filled_form(company="不存在期货有限公司")), organisation=org_b
    )
    assert form.organisation == org_b


def test_dept_staff_cannot_read_forms_into_drafts(official_calendar, dept_staff):
    with pytest.raises(PermissionDenied):
        services.docx_draft_staff(actor=dept_staff, upload=docx_upload(filled_form()))
