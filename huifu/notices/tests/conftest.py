"""Notice fixtures: notices built through the real services, by the coordinator."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huifu.notices.models import AudienceKind
from huifu.notices.services import notice_attachment_add, notice_create_draft, notice_publish

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "附件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def make_notice(coordinator):
    """make_notice(publish=True, audience_kind=..., ...) -> Notice (a draft with publish=False)."""
    counter = {"n": 0}

    def make(*, publish: bool = True, notify: bool = False, actor=None, **fields):
        counter["n"] += 1
        fields.setdefault("title", f"测试通知{counter['n']}")
        fields.setdefault("body", "第一段。\n\n第二段。")
        fields.setdefault("audience_kind", AudienceKind.ALL_MEMBERS)
        notice = notice_create_draft(actor=actor or coordinator, **fields)
        if publish:
            notice = notice_publish(actor=actor or coordinator, notice=notice, notify=notify)
        return notice

    return make


@pytest.fixture
def personas(
    member_a_admin,
    member_a_contact,
    member_b_admin,
    member_b_contact,
    partner_user,
    regulator,
    public_user,
    dept_staff,
    dept_head,
    coordinator,
):
    return {
        "member_a": member_a_admin,
        "member_a_contact": member_a_contact,
        "member_b": member_b_admin,
        "member_b_contact": member_b_contact,
        "partner": partner_user,
        "regulator": regulator,
        "public": public_user,
        "dept_staff": dept_staff,
        "dept_head": dept_head,
        "coordinator": coordinator,
    }


@pytest.fixture
def attached_notice(make_notice, coordinator, org_a):
    """A notice addressed to company A only, with one PDF attachment, published."""
    notice = make_notice(publish=False, audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a])
    attachment = notice_attachment_add(actor=coordinator, notice=notice, upload=pdf_upload())
    notice = notice_publish(actor=coordinator, notice=notice, notify=False)
    return notice, attachment
