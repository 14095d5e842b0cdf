"""A tie at the quota boundary is broken by the rule published with the scheme: A and B both total
90.00; A is stronger on the first top-level indicator."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from huifu.awards.models import SubjectResult, Winner
from huifu.awards.services import CategorySpec, scheme_create
from huifu.awards.services.evaluations import (
    entered_value_set,
    evaluation_compute,
    evaluation_create,
    evaluation_open,
    list_publish,
)

from .conftest import member_tree


@pytest.fixture
def tied(coordinator, rating, org_a, org_b, trade):
    def make(tie_break):
        scheme = scheme_create(
            actor=coordinator, programme=rating, year=2023, tie_break=tie_break,
            indicators=member_tree(market=50, compliance=50, volume=100, activities=0),
        )  # fmt: skip
        evaluation = evaluation_create(
            actor=coordinator, programme=rating, scheme=scheme, year=2023, title_zh="2023年度会员评优",
            title_en="2023 Member Rating", categories=[CategorySpec("excellent", "优秀会员", "Excellent", 1)],
        )  # fmt: skip
        evaluation_open(actor=coordinator, evaluation=evaluation)
        trade(org_a, datetime.date(2023, 4, 3), 1000)
        trade(org_b, datetime.date(2023, 4, 3), 800)
        for org, value in ((org_a, 80), (org_b, 100)):
            entered_value_set(actor=coordinator, evaluation=evaluation, organisation=org,
                              indicator_code="compliance", value=value, evidence="检查报告")  # fmt: skip
        return evaluation, evaluation_compute(actor=coordinator, evaluation=evaluation)

    return make


def test_first_indicator_rule_separates_the_tie(tied, org_a, org_b):
    _evaluation, rs = tied("first_indicator")
    a, b = (SubjectResult.objects.get(result_set=rs, organisation=o) for o in (org_a, org_b))
    assert a.total == b.total == 90
    assert (a.rank, b.rank) == (1, 2) and a.within_quota and not b.within_quota
    assert a.tie_note and b.tie_note


def test_all_tied_in_rule_includes_both_and_raises_the_quota(tied, coordinator, org_a, org_b):
    evaluation, rs = tied("all_tied_in")
    a, b = (SubjectResult.objects.get(result_set=rs, organisation=o) for o in (org_a, org_b))
    assert (a.rank, b.rank) == (1, 1) and a.within_quota and b.within_quota
    list_publish(actor=coordinator, evaluation=evaluation)
    evaluation.refresh_from_db()
    later = datetime.datetime.combine(evaluation.objection_deadline + datetime.timedelta(days=1), datetime.time(9))
    with freeze_time(timezone.make_aware(later)):
        list_publish(actor=coordinator, evaluation=evaluation)
    assert set(Winner.objects.values_list("organisation", flat=True)) == {org_a.pk, org_b.pk}
    assert evaluation.edition.categories.get().quota == 2
