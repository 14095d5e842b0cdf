"""The demo data goes through the real services and can be loaded twice."""

from __future__ import annotations

import pytest

from huifu.core.testing.factories import org_user, staff_user
from huifu.eduworks import demo
from huifu.eduworks.models import BaseMonthlyFigure, Work, WorkState

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(dept_business, dept_mm, org_a):
    staff_user(dept_business, email=f"dept-staff@{demo.DOMAIN}", full_name="李业务")
    staff_user(dept_mm, email=f"coordinator@{demo.DOMAIN}", full_name="王协调")
    org_user(org_a, "admin", email=f"member-a-admin@{demo.DOMAIN}", full_name="甲管理员")
    demo.seed()
    demo.seed()
    assert Work.objects.count() == len(demo.WORKS)
    states = set(Work.objects.values_list("state", flat=True))
    assert {WorkState.PUBLISHED, WorkState.APPROVED, WorkState.SUBMITTED, WorkState.RETURNED, WorkState.DRAFT} <= states
    assert BaseMonthlyFigure.objects.count() == 12
    assert Work.objects.filter(title__startswith="期货知识漫画").get().reach.exists()
