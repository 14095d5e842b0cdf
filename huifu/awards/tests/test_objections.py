"""The objection flow: v1 opens a window in working days; a member objects to its own result;
the scorer cannot decide it, someone else does with a reason; after the window the final v1.1
carries the change log and hands the winners over (certificates, notice, public page)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from freezegun import freeze_time

from huifu.awards.models import EvaluationState, ObjectionState, Winner
from huifu.awards.services import AwardsError
from huifu.awards.services.evaluations import (
    entered_value_set,
    evaluation_compute,
    list_publish,
    objection_decide,
    objection_submit,
)
from huifu.notices.models import Notice


@pytest.fixture
def published(coordinator, rating_2023):
    evaluation_compute(actor=coordinator, evaluation=rating_2023)
    v1 = list_publish(actor=coordinator, evaluation=rating_2023)
    rating_2023.refresh_from_db()
    return v1


def test_v1_opens_the_objection_window_with_a_notice(published, rating_2023):
    assert published.label == "v1" and rating_2023.state == EvaluationState.OBJECTION
    assert rating_2023.objection_deadline > timezone.localdate()
    notice = Notice.objects.get(pk=published.notice_id)
    assert notice.status == "published" and "v1" in notice.title and "2023年度会员评优" in notice.title


def test_objection_flow(published, rating_2023, coordinator, coordinator_2, member_a_admin, member_b_admin, org_a):
    objection = objection_submit(
        actor=member_a_admin, evaluation=rating_2023, text="合规得分未计入整改完成情况", indicator_code="compliance"
    )
    # the scorer (who computed the results) may not decide it
    with pytest.raises(AwardsError) as exc:
        objection_decide(actor=coordinator, objection=objection, upheld=True, reason="同意")
    assert exc.value.code == "same_person"
    with pytest.raises(AwardsError) as exc:
        objection_decide(actor=coordinator_2, objection=objection, upheld=True, reason="  ")
    assert "reason" in exc.value.message_dict
    objection_decide(
        actor=coordinator_2, objection=objection, upheld=True, reason="整改报告已于2023年12月提交，予以采纳"
    )
    objection.refresh_from_db()
    assert objection.state == ObjectionState.UPHELD and objection.decided_by == coordinator_2
    # correction by someone else, recomputation, then the final list once the window is over
    entered_value_set(
        actor=coordinator_2,
        evaluation=rating_2023,
        organisation=org_a,
        indicator_code="compliance",
        value=100,
        evidence="整改完成报告",
    )
    with pytest.raises(AwardsError) as exc:
        list_publish(actor=coordinator, evaluation=rating_2023)
    assert exc.value.code == "window_open"
    evaluation_compute(actor=coordinator_2, evaluation=rating_2023, reason="objection upheld")
    after = datetime.datetime.combine(rating_2023.objection_deadline + datetime.timedelta(days=1), datetime.time(9))
    with freeze_time(timezone.make_aware(after)):
        with pytest.raises(AwardsError) as exc:
            objection_submit(actor=member_b_admin, evaluation=rating_2023, text="迟到的异议")
        assert exc.value.code == "window_closed"
        final = list_publish(actor=coordinator, evaluation=rating_2023)
    assert final.label == "v1.1" and final.is_final
    assert {entry["organisation_id"] for entry in final.change_log} == {org_a.pk, member_b_admin.organisation_id}
    winner = Winner.objects.get(edition=rating_2023.edition)
    assert winner.organisation == org_a and winner.number.startswith("AW")
    assert final.notice_id is not None and "甲期货有限公司" in final.notice.body


def test_only_the_evaluated_object_and_only_during_the_window(published, rating_2023, partner_user, ine_user):
    for outsider in (partner_user, ine_user):
        with pytest.raises(PermissionDenied):
            objection_submit(actor=outsider, evaluation=rating_2023, text="x")


def test_only_the_owning_department_decides(published, rating_2023, member_a_admin, ine_user, dept_staff):
    objection = objection_submit(actor=member_a_admin, evaluation=rating_2023, text="成交量有误")
    for other in (ine_user, dept_staff):
        with pytest.raises(PermissionDenied):
            objection_decide(actor=other, objection=objection, upheld=False, reason="不予采纳")
    objection.refresh_from_db()
    assert objection.state == ObjectionState.SUBMITTED
