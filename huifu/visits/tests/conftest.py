"""Visit fixtures: visits built through the real services."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huifu.visits import services

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "拜访函.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


REQUEST = {
    "purpose": "交流期权做市业务",
    "proposed_dates": "10月10日下午或10月12日上午",
    "visitors": "张三 总经理\n李四 研究所所长",
    "visitor_count": 2,
    "topics": "期权做市；铜期货交割",
}


@pytest.fixture
def make_visit(member_a_admin):
    def make(actor=None, **fields):
        return services.visit_request_submit(actor=actor or member_a_admin, **{**REQUEST, **fields})

    return make


@pytest.fixture
def arrange(coordinator, dept_staff):
    def do(visit, actor=None, attendees=None, start=None):
        start = start or timezone.now() + datetime.timedelta(days=3)
        return services.visit_arrange(
            actor=actor or coordinator,
            visit=visit,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="上期所大厦 3楼会议室",
            agenda="1. 介绍\n2. 交流",
            attendees=attendees or [coordinator, dept_staff],
        )

    return do


@pytest.fixture
def personas(
    member_a_admin,
    member_a_contact,
    member_b_admin,
    partner_user,
    regulator,
    public_user,
    dept_staff,
    msc_user,
    coordinator,
):
    return {
        "member_a_admin": member_a_admin,
        "member_a_contact": member_a_contact,
        "member_b_admin": member_b_admin,
        "partner_user": partner_user,
        "regulator": regulator,
        "public_user": public_user,
        "dept_staff": dept_staff,
        "msc_user": msc_user,
        "coordinator": coordinator,
    }
