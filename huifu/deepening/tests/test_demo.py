"""The demo seeds through the real services, twice without duplicates."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from huifu.cases.models import Case, CaseStatus
from huifu.deepening.models import DeepeningPlan, PlanStatus, SupervisionNote

pytestmark = pytest.mark.django_db


def test_seed_demo_is_realistic_and_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    statuses = set(DeepeningPlan.objects.values_list("status", flat=True))
    assert {
        PlanStatus.CLOSED,
        PlanStatus.IN_PROGRESS,
        PlanStatus.RETURNED,
        PlanStatus.SUBMITTED,
        PlanStatus.DRAFT,
    } <= statuses
    assert SupervisionNote.objects.filter(author__email="regulator@demo.huifu.example").count() == 2
    assert Case.objects.filter(status=CaseStatus.PUBLISHED).count() >= 3
    plans, cases = DeepeningPlan.objects.count(), Case.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert DeepeningPlan.objects.count() == plans and Case.objects.count() == cases
