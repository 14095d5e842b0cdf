"""Normalisation threshold, quota rounding and ties (pure arithmetic)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from huifu.selections import ranking


def test_normalisation_only_from_threshold():
    scores = {(1, a): Decimal(v) for a, v in zip(range(5), (60, 70, 80, 90, 100), strict=True)}
    scores.update({(2, a): Decimal(v) for a, v in zip(range(3), (50, 55, 60), strict=True)})
    values, method = ranking.normalise(scores, min_scores=4, scale=Decimal(100))
    assert method["judges"]["1"]["used"] is True and method["judges"]["1"]["n"] == 5
    assert method["judges"]["2"]["used"] is False and method["judges"]["2"]["reason"] == "below threshold"
    assert values[(2, 0)] == Decimal("50.000")  # raw kept below the threshold
    assert values[(1, 2)] == Decimal(method["pool_mean"])  # the judge's mean maps to the pool's mean
    assert values[(1, 4)] > values[(1, 3)] > values[(1, 2)]
    values, method = ranking.normalise(scores, min_scores=3, scale=Decimal(100))
    assert method["judges"]["2"]["used"] is True  # threshold reached: now normalised
    assert values[(2, 0)] != Decimal("50.000")


def test_normalisation_clamped_and_no_spread():
    scores = {
        (1, 0): Decimal(0),
        (1, 1): Decimal(0),
        (1, 2): Decimal(100),
        (2, 0): Decimal(70),
        (2, 1): Decimal(70),
        (2, 2): Decimal(70),
    }
    values, method = ranking.normalise(scores, min_scores=3, scale=Decimal(100))
    assert all(Decimal(0) <= v <= Decimal(100) for v in values.values())
    assert method["judges"]["2"]["reason"] == "no spread" and values[(2, 1)] == Decimal("70.000")


@pytest.mark.parametrize(
    ("applicants", "rounding", "expected"),
    [
        (29, "floor", 8),  # 8.7
        (29, "ceil", 9),
        (29, "half_up", 9),
        (25, "half_up", 8),  # 7.5 → 8
        (25, "floor", 7),
        (30, "floor", 10),  # at the threshold: the fixed maximum
        (120, "ceil", 10),
        (2, "floor", 0),
        (3, "ceil", 1),
    ],
)
def test_quota_formula(applicants, rounding, expected):
    quota, formula = ranking.quota(
        applicants=applicants, threshold=30, percent=Decimal(30), maximum=10, rounding=rounding
    )
    assert quota == expected
    assert str(applicants) in formula


def test_quota_never_more_than_applicants():
    assert ranking.quota(applicants=3, threshold=2, percent=Decimal(30), maximum=10, rounding="floor")[0] == 3


def R(key, total, judges=None):
    return ranking.Ranked(key=key, total=Decimal(total), judges=Decimal(judges if judges is not None else total))


def test_ties_share_a_rank_and_tie_break_by_judges():
    rows = ranking.rank([R(1, 90), R(2, 85, 80), R(3, 85, 82), R(4, 70)], quota=2)
    by_key = {r.key: r for r in rows}
    assert [r.key for r in rows] == [1, 3, 2, 4]
    assert by_key[3].winner and not by_key[2].winner  # broken by the judges' score


def test_tie_across_the_quota_boundary_leaves_the_group_out():
    rows = ranking.rank([R(1, 90), R(2, 85), R(3, 85), R(4, 70)], quota=2)
    by_key = {r.key: r for r in rows}
    assert by_key[2].rank == by_key[3].rank == 2
    assert by_key[1].winner and not by_key[2].winner and not by_key[3].winner
    assert by_key[2].note == "tied at the quota boundary"
    assert sum(r.winner for r in rows) <= 2


def test_tie_inside_the_quota_both_win():
    rows = ranking.rank([R(1, 90), R(2, 90), R(3, 70)], quota=2)
    assert [r.winner for r in rows] == [True, True, False]
