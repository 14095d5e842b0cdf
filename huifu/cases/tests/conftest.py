"""Case fixtures: a completed deep-cultivation plan as a source and cases built through the services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huifu.cases import services
from huifu.cases.models import CaseAudience
from huifu.deepening.tests.conftest import (  # noqa: F401  (fixtures reused)
    _calendar,
    ent_jiangxi,
    ent_shanghai,
    make_plan,
    make_profile,
    pool,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def png_upload(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def make_case(coordinator):
    def make(*, publish: bool = True, audience=CaseAudience.PUBLIC, title="铜企套保案例", **fields):
        fields.setdefault("summary", "期货公司助力铜企建立套保体系")
        fields.setdefault("body", "背景。\n\n做法。\n\n成效。")
        fields.setdefault("industry", "有色金属")
        fields.setdefault("products", ["铜"])
        case = services.case_create_draft(actor=coordinator, title=title, audience=audience, **fields)
        if publish:
            case = services.case_publish(actor=coordinator, case=case)
        return case

    return make


@pytest.fixture
def finished_plan(make_plan, ent_jiangxi, coordinator, pool, member_a_admin):  # noqa: F811
    from django.utils import timezone

    from huifu.deepening import services as deepening

    plan = make_plan(enterprises=[ent_jiangxi], submit=True)
    deepening.plan_approve(actor=coordinator, plan=plan, pool=pool, amount="1000.00")
    deepening.activity_report(
        actor=member_a_admin, activity=plan.activities.get(), done_date=timezone.localdate(), attendance=10
    )
    deepening.plan_complete(actor=member_a_admin, plan=plan, summary="完成")
    plan.refresh_from_db()
    return plan
