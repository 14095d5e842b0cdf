"""The member rating's engine: computed and entered indicators, deductions (heaviest per
violation, never the sum), result versions with diffs, reproducibility after next year's scheme
and data change."""

from __future__ import annotations

import datetime
from decimal import Decimal

from huifu.awards.models import SubjectResult
from huifu.awards.services import scheme_new_version, scheme_set_weights
from huifu.awards.services.evaluations import (
    entered_value_set,
    evaluation_compute,
    measure_record,
    result_replay,
)


def _result(result_set, org):
    return SubjectResult.objects.get(result_set=result_set, organisation=org)


def test_scores_follow_the_weights_and_keep_their_inputs(coordinator, rating_2023, org_a, org_b):
    rs = evaluation_compute(actor=coordinator, evaluation=rating_2023)
    a, b = _result(rs, org_a), _result(rs, org_b)
    # volume: B is best (1000) → 100, A 800 → 80; activities: nobody → 0; compliance: A 90 → 100, B 80 → 88.89
    # A: 60 % × (50 % × 80 + 50 % × 0) + 40 % × 100 = 24 + 40 = 64
    # B: 60 % × (50 % × 100) + 40 % × 88.89 = 30 + 35.56 = 65.56
    assert a.total == Decimal("64.00")
    assert b.total == Decimal("65.56")
    assert (b.rank, a.rank) == (1, 2)
    assert b.within_quota and not a.within_quota and b.category_code == "excellent"
    volume = next(row for row in a.breakdown if row["code"] == "volume")
    assert volume["value"] == "800" and volume["inputs"]["sum"] == "800" and volume["inputs"]["trading_days"] == 1
    compliance = next(row for row in a.breakdown if row["code"] == "compliance")
    assert compliance["inputs"]["evidence"] == "2023年合规检查报告"


def test_one_violation_counts_once_with_the_heaviest_measure(coordinator, rating, rating_2023, org_a):
    for kind, number in (
        ("warning_letter", "沪证监措施〔2023〕12号"),
        ("fine", "沪证监罚字〔2023〕3号"),
        ("rectification", "沪证监措施〔2023〕13号"),
    ):
        measure_record(
            actor=coordinator,
            programme=rating,
            organisation=org_a,
            kind=kind,
            document_number=number,
            issued_on=datetime.date(2023, 5, 10),
            violation_ref="2023-客户适当性",
        )
    measure_record(
        actor=coordinator,
        programme=rating,
        organisation=org_a,
        kind="warning_letter",
        document_number="沪证监措施〔2023〕30号",
        issued_on=datetime.date(2023, 9, 1),
        violation_ref="2023-信息报送",
    )
    rs = evaluation_compute(actor=coordinator, evaluation=rating_2023)
    a = _result(rs, org_a)
    # 择其重者: the fine (5) for the first violation, not 0.5 + 5 + 1; plus 0.5 for the second
    assert a.deduction == Decimal("5.50")
    assert a.total == Decimal("64.00") - Decimal("5.50")
    counted = {d["violation"]: (d["counted_kind"], len(d["measures"])) for d in a.deductions}
    assert counted == {"2023-客户适当性": ("fine", 3), "2023-信息报送": ("warning_letter", 1)}


def test_recomputation_is_a_new_version_with_a_diff(coordinator, rating_2023, org_a, org_b):
    first = evaluation_compute(actor=coordinator, evaluation=rating_2023)
    entered_value_set(
        actor=coordinator,
        evaluation=rating_2023,
        organisation=org_a,
        indicator_code="compliance",
        value=100,
        evidence="复核后更正",
    )
    second = evaluation_compute(actor=coordinator, evaluation=rating_2023, reason="compliance corrected")
    assert (first.number, second.number) == (1, 2)
    assert _result(first, org_a).total == Decimal("64.00")  # the first version is untouched
    # A (90 → 100) becomes the best on compliance: B scales down against it, and they swap
    assert second.diff[str(org_b.pk)]["total"] == ["65.56", "62.00"]
    assert second.diff[str(org_a.pk)] == {"rank": [2, 1], "category": ["", "excellent"]}
    assert rating_2023.entered_values.filter(organisation=org_a).count() == 2  # the old value is kept


def test_last_year_reproduces_after_this_years_scheme_and_data_change(
    coordinator, rating, rating_2023, org_a, org_b, trade
):
    first = evaluation_compute(actor=coordinator, evaluation=rating_2023)
    before = {r.organisation_id: (r.total, r.rank) for r in first.results.all()}
    # 2024: a new scheme version with other weights, and 2024 trading
    new = scheme_new_version(
        actor=coordinator, scheme=rating_2023.scheme, year=2024, weights={"market": 70, "compliance": 30}
    )
    scheme_set_weights(actor=coordinator, scheme=new, weights={"volume": 80, "activities": 20})
    trade(org_a, datetime.date(2024, 2, 1), 5000)
    again = evaluation_compute(actor=coordinator, evaluation=rating_2023, reason="check")
    assert {r.organisation_id: (r.total, r.rank) for r in again.results.all()} == before
    assert again.diff == {}
    # and each stored result replays from its own inputs to the same figures
    for result in first.results.all():
        assert result_replay(result).total == result.total
