"""Service-desk fixtures: forms built through the real services."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huifu.servicedesk import services
from huifu.workdays.engine import CHINA_TZ

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def at(y: int, m: int, d: int, h: int = 10) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, tzinfo=CHINA_TZ)


def seal_upload(name: str = "公章.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


@pytest.fixture
def submit(official_calendar, member_a_admin):
    """submit(organisation=..., actor=..., **fields) -> FeedbackForm (company A by default)."""

    def make(*, actor=None, organisation=None, **fields):
        actor = actor or member_a_admin
        organisation = organisation or actor.organisation
        fields.setdefault("contact_name", "张联系")
        fields.setdefault("phone", "021-68400000")
        fields.setdefault("email", "contact@alpha.example")
        fields.setdefault("form_date", datetime.date(2024, 3, 1))
        fields.setdefault("suggestions", ["建议扩大铜期货交割库容，缓解交割仓库紧张问题", "建议下调期权做市商手续费"])
        fields.setdefault("help_requests", ["希望协助解决交易系统接口升级的测试环境问题"])
        return services.feedback_submit(organisation=organisation, actor=actor, **fields)

    return make


@pytest.fixture
def personas(
    member_a_admin,
    member_a_contact,
    member_b_admin,
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
        "partner": partner_user,
        "regulator": regulator,
        "public": public_user,
        "dept_staff": dept_staff,
        "dept_head": dept_head,
        "coordinator": coordinator,
    }


@pytest.fixture
def replied_form(submit, coordinator, dept_staff, dept_business):
    """A form of company A, assigned, answered and replied in writing."""
    form = submit()
    for item in form.items.all():
        services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
        services.answer_draft(
            item=item, department=dept_business, text=f"关于第{item.number}项：已研究，将于年内优化。", actor=dept_staff
        )
    reply = services.reply_compose(form=form, mode="written", actor=coordinator)
    reply = services.reply_approve_send(reply=reply, actor=coordinator)
    form.refresh_from_db()
    return form
