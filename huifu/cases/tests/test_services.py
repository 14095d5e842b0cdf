"""Case writing, sources, publication and withdrawal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.cases import services
from huifu.cases.models import Case, CaseStatus
from huifu.cases.services import CaseStateError

from .conftest import png_upload

pytestmark = pytest.mark.django_db


def test_case_from_finished_plan(coordinator, finished_plan, ent_jiangxi):
    case = services.case_create_draft(
        actor=coordinator,
        source=finished_plan,
        title="江西某铜业集团套保案例",
        summary="摘要",
        body="正文",
        enterprise=ent_jiangxi,
        enterprise_label="江西某铜业集团",
        products="铜，铜期权",
    )
    assert case.source == finished_plan and case.source_label == finished_plan.title
    assert case.products == ["铜", "铜期权"] and case.enterprise_display == "江西某铜业集团"


def test_unfinished_plan_is_refused_as_source(coordinator, make_plan, ent_jiangxi):
    plan = make_plan(enterprises=[ent_jiangxi], submit=True)
    with pytest.raises(ValidationError) as exc:
        services.case_create_draft(actor=coordinator, source=plan, title="t", summary="s", body="b")
    assert "source" in exc.value.message_dict
    assert not Case.objects.exists()


def test_unregistered_source_is_refused(coordinator, org_a):
    with pytest.raises(ValidationError) as exc:
        services.case_create_draft(actor=coordinator, source=org_a, title="t", summary="s", body="b")
    assert "source" in exc.value.message_dict


def test_fields_named_in_errors(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.case_create_draft(actor=coordinator, title="", summary="", body="", audience="everyone")
    assert {"title", "summary", "body", "audience"} <= set(exc.value.message_dict)


def test_publish_and_withdraw(make_case, coordinator, dept_staff, dept_head):
    case = make_case(publish=False)
    services.case_file_add(actor=dept_staff, case=case, upload=png_upload(), caption="培训现场")
    with pytest.raises(PermissionDenied):
        services.case_publish(actor=dept_staff, case=case)
    services.case_publish(actor=dept_head, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    with pytest.raises(CaseStateError):
        services.case_update(actor=coordinator, case=case, title="改")
    with pytest.raises(ValidationError):
        services.case_withdraw(actor=coordinator, case=case, reason="")
    services.case_withdraw(actor=coordinator, case=case, reason="企业要求撤下")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    with pytest.raises(CaseStateError):
        services.case_publish(actor=coordinator, case=case)


def test_members_may_not_write_cases(member_a_admin):
    with pytest.raises(PermissionDenied):
        services.case_create_draft(actor=member_a_admin, title="t", summary="s", body="b")
