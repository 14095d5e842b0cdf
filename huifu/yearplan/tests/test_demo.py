"""The demo goes through the real services, can be loaded twice, and its 2023 is the seed's."""

from __future__ import annotations

import pytest

from huifu.yearplan import demo, document
from huifu.yearplan.models import ArrangementYear, YearStatus

from .conftest import seed_headings

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_2023_is_frozen_with_the_seed_headings(records_2023):
    demo.seed()
    demo.seed()
    assert list(ArrangementYear.objects.order_by("year").values_list("year", "status")) == [
        (2023, YearStatus.FROZEN),
        (2024, YearStatus.DRAFT),
    ]
    plan_2023 = ArrangementYear.objects.get(year=2023)
    assert document.headings(plan_2023.snapshot) == seed_headings()
    doc_2024 = document.compose(ArrangementYear.objects.get(year=2024))
    assert document.headings(doc_2024) == seed_headings()
    assert "持续落实“三年规划”" in document.document_text(doc_2024)
