"""Schemes: weights of each level add up to 100 % (refused otherwise, nothing saved), frozen
schemes refuse edits, the next year's version leaves last year's untouched."""

from __future__ import annotations

from decimal import Decimal

import pytest

from huifu.awards.models import SchemeVersion
from huifu.awards.services import AwardsError, scheme_create, scheme_freeze, scheme_new_version, scheme_set_weights

from .conftest import MEASURE_POINTS, member_tree


def test_weights_not_adding_up_are_refused_with_the_level_named(coordinator, rating):
    with pytest.raises(AwardsError) as exc:
        scheme_create(actor=coordinator, programme=rating, year=2023, indicators=member_tree(volume=50, activities=45))
    assert exc.value.code == "weights_not_100"
    text = " ".join(exc.value.message_dict["weights"])
    assert "market 市场表现" in text and "95" in text
    assert not SchemeVersion.objects.exists()


def test_top_level_weights_are_checked_too(coordinator, rating):
    with pytest.raises(AwardsError) as exc:
        scheme_create(actor=coordinator, programme=rating, year=2023, indicators=member_tree(market=70, compliance=40))
    assert "110" in " ".join(exc.value.message_dict["weights"])


def test_set_weights_refused_as_a_whole_and_frozen_scheme_refuses(coordinator, rating):
    scheme = scheme_create(
        actor=coordinator, programme=rating, year=2023, indicators=member_tree(), deductions=MEASURE_POINTS
    )
    with pytest.raises(AwardsError):
        scheme_set_weights(actor=coordinator, scheme=scheme, weights={"volume": 60})
    assert scheme.indicators.get(code="volume").weight == Decimal("50")
    scheme_set_weights(actor=coordinator, scheme=scheme, weights={"volume": 60, "activities": 40})
    assert scheme.indicators.get(code="volume").weight == Decimal("60")
    scheme_freeze(actor=coordinator, scheme=scheme)
    with pytest.raises(AwardsError) as exc:
        scheme_set_weights(actor=coordinator, scheme=scheme, weights={"volume": 50, "activities": 50})
    assert exc.value.code == "scheme_frozen"


def test_next_year_is_a_new_version_with_changed_weights(coordinator, rating):
    old = scheme_create(
        actor=coordinator,
        programme=rating,
        year=2022,
        indicators=member_tree(),
        deductions=MEASURE_POINTS,
        deductions_to_be_checked=True,
    )
    scheme_freeze(actor=coordinator, scheme=old)
    new = scheme_new_version(actor=coordinator, scheme=old, year=2023, weights={"volume": 45, "activities": 55})
    assert new.based_on == old and new.state == "draft"
    assert old.indicators.get(code="volume").weight == Decimal("50")
    assert new.indicators.get(code="volume").weight == Decimal("45")
    assert new.indicators.get(code="volume").parent.code == "market"
    assert set(new.deduction_types.values_list("measure_kind", "points", "to_be_checked")) == {
        (k, v, True) for k, v in MEASURE_POINTS.items()
    }


def test_only_the_owning_department_edits_a_scheme(ine_user, coordinator, rating, ine_award):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        scheme_create(actor=ine_user, programme=rating, year=2023, indicators=member_tree())
    with pytest.raises(PermissionDenied):
        scheme_create(actor=coordinator, programme=ine_award, year=2023, indicators=member_tree())
    assert scheme_create(actor=ine_user, programme=ine_award, year=2023, indicators=member_tree()).pk
