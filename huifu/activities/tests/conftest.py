"""Activity fixtures: types, pools and activities built through the real services."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huifu.activities import services
from huifu.activities.models import ActivityKind
from huifu.budget.services import pool_create

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000"
    "1ff89993d1d0000000049454e44ae426082"
)
TODAY = datetime.date.today()
LAST_WEEK = TODAY - datetime.timedelta(days=7)


def pdf_upload(name="发票.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_upload(name="现场.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


@pytest.fixture
def forum_type(coordinator):
    return services.type_save(
        actor=coordinator,
        year=TODAY.year,
        kind=ActivityKind.FORUM,
        name="大型论坛",
        cap_per_activity="300000",
        line_caps={"场地费": "100000"},
        required_fields=["theme", "speakers", "audience_expected", "budget_lines"],
    )


@pytest.fixture
def special_type(coordinator):
    return services.type_save(
        actor=coordinator,
        year=TODAY.year,
        kind=ActivityKind.SPECIAL,
        name="专项活动",
        cap_per_activity="200000",
        priority_themes=["服务实体经济", "期权工具推广"],
        required_fields=["theme"],
    )


@pytest.fixture
def pool(coordinator, dept_mm, dept_finance):
    return pool_create(year=TODAY.year, name="合作举办市场活动", amount="500000", department=dept_mm, actor=coordinator)


@pytest.fixture
def make_activity(forum_type):
    def make(actor, *, submit=True, lines=(("场地费", "80000"), ("专家费", "40000")), **fields):
        data = {
            "title": "有色金属产业链风险管理论坛",
            "theme": "服务实体经济",
            "starts_on": LAST_WEEK,
            "ends_on": LAST_WEEK,
            "venue": "上海国际会议中心",
            "speakers": "张教授",
            "audience_expected": {"industry": 120, "institutions": 30},
        }
        data.update(fields)
        activity = services.activity_create(
            actor=actor,
            activity_type=fields.pop("activity_type", forum_type),
            lines=lines,
            **{k: v for k, v in data.items() if k != "activity_type"},
        )
        if submit:
            activity = services.activity_submit(actor=actor, activity=activity)
        return activity

    return make


@pytest.fixture
def approved_activity(make_activity, member_a_admin, coordinator, pool):
    activity = make_activity(member_a_admin)
    return services.activity_approve(actor=coordinator, activity=activity, pool=pool, amount="100000")


@pytest.fixture
def accepted_activity(approved_activity, member_a_admin, coordinator):
    a = services.activity_mark_held(actor=member_a_admin, activity=approved_activity)
    services.activity_file_add(actor=member_a_admin, activity=a, role="photo", upload=png_upload())
    a = services.activity_summary_submit(
        actor=member_a_admin, activity=a, actual_attendance={"industry": 130}, summary="圆满完成。"
    )
    return services.activity_summary_review(actor=coordinator, activity=a, accept=True)
