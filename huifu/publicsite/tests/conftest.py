"""Public-site fixtures: cases and notices built through the real services."""

from __future__ import annotations

import pytest

from huifu.cases import services as case_services
from huifu.cases.models import CaseAudience
from huifu.notices import services as notice_services
from huifu.notices.models import AudienceKind


@pytest.fixture
def make_case(coordinator):
    def make(*, title: str, audience: str = CaseAudience.PUBLIC, publish: bool = True):
        case = case_services.case_create_draft(
            actor=coordinator,
            title=title,
            audience=audience,
            summary="期货公司助力铜企建立套保体系",
            body="背景。\n\n做法：铜企用期货锁定加工利润。\n\n成效。",
            industry="有色金属",
            products=["铜"],
        )
        return case_services.case_publish(actor=coordinator, case=case) if publish else case

    return make


@pytest.fixture
def make_notice(coordinator, member_a_admin):
    def make(*, title: str, audience: str = AudienceKind.PUBLIC, publish: bool = True):
        notice = notice_services.notice_create_draft(
            actor=coordinator, title=title, body=f"{title}\n\n正文。", audience_kind=audience
        )
        return notice_services.notice_publish(actor=coordinator, notice=notice, notify=False) if publish else notice

    return make
