"""Second review (isolation): regulators and plans that span regions.

``deepening/permissions.py`` says a regulator reads "the non-draft plans with at least one
enterprise in the bureau's region, those enterprises' profiles, evidence files and exports —
nothing else". A plan of member A with one Shanghai and one Jiangxi enterprise is therefore
visible to both bureaus, but each bureau should only get the evidence (and enterprise data) of
the enterprise in its own region.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.core.testing.auth import login
from huifu.deepening import services

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_plan(make_plan, ent_shanghai, ent_jiangxi, coordinator, pool, member_a_admin):
    plan = make_plan(enterprises=[ent_shanghai, ent_jiangxi], submit=True, title="跨区域深耕计划")
    services.plan_approve(actor=coordinator, plan=plan, pool=pool, amount="1000.00")
    files = {}
    for activity in plan.activities.select_related("plan_enterprise__profile__enterprise"):
        services.activity_report(
            actor=member_a_admin,
            activity=activity,
            done_date=timezone.localdate(),
            attendance=5,
            files=[pdf_upload()],
        )
        region = activity.plan_enterprise.profile.enterprise.region
        files[region] = activity.evidence.get().file
    return plan, files


def test_each_bureau_reads_the_mixed_plan(client, mixed_plan, regulator, regulator_jiangxi):
    plan, _files = mixed_plan
    assert_allowed(client, regulator, plan.get_absolute_url())
    assert_allowed(client, regulator_jiangxi, plan.get_absolute_url())


def test_bureau_reads_its_own_regions_evidence(client, mixed_plan, regulator, ent_shanghai):
    _plan, files = mixed_plan
    assert_allowed(client, regulator, reverse("files:download", args=[files[ent_shanghai.region].pk]))


def test_bureau_does_not_read_evidence_of_another_regions_enterprise(
    client, mixed_plan, regulator, regulator_jiangxi, ent_shanghai, ent_jiangxi
):
    """A mixed-region plan: each bureau reads the evidence of its own region's enterprise only."""
    _plan, files = mixed_plan
    assert_denied(client, regulator, reverse("files:download", args=[files[ent_jiangxi.region].pk]), codes=(404,))
    assert_denied(
        client, regulator_jiangxi, reverse("files:download", args=[files[ent_shanghai.region].pk]), codes=(404,)
    )


def test_bureau_does_not_see_the_other_regions_enterprise_on_the_plan(client, mixed_plan, regulator, ent_jiangxi):
    """Page, API and timeline keep to the bureau's region inside a mixed-region plan."""
    plan, _files = mixed_plan
    login(client, regulator)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert ent_jiangxi.name_zh not in page
    api = client.get(reverse("api-deepening-plan-detail", args=[plan.pk])).content.decode()
    assert ent_jiangxi.name_zh not in api


def test_bureau_export_lists_only_its_regions_enterprises(client, mixed_plan, regulator, ent_shanghai, ent_jiangxi):
    from huifu.deepening.selectors import plan_export_rows

    [row] = list(plan_export_rows(user=regulator))
    names = {e.profile.enterprise.name_zh for e in row.enterprises.all()}
    assert names == {ent_shanghai.name_zh}
