"""Member-initiated campus activities (issue 12): the co-hosted activities programme with a
campus kind and the university concerned — one budget pool, counted once — and the activity
types' English names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from huifu.activities import services
from huifu.activities.models import ActivityKind
from huifu.budget.models import Allocation, BudgetPool
from huifu.budget.selectors import with_pool_figures
from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory
from huifu.directory.models import OrganisationKind

from .conftest import LAST_WEEK, TODAY


@pytest.fixture
def campus_type(coordinator):
    return services.type_save(
        actor=coordinator,
        year=TODAY.year,
        kind=ActivityKind.CAMPUS,
        name="校园人才培养",
        name_en="Campus talent cultivation",
        cap_per_activity="100000",
        required_fields=["budget_lines"],
    )


@pytest.fixture
def university(db):
    return OrganisationFactory(
        kind=OrganisationKind.UNIVERSITY, name_zh="同济大学", name_en="Tongji University", member_number=None
    )


def _campus(actor, campus_type, university, **extra):
    data = {
        "title": "走进同济大学：期货与衍生品公开课",
        "starts_on": LAST_WEEK,
        "ends_on": LAST_WEEK,
        "venue": "同济大学四平路校区",
        "audience_expected": {"students": 200},
    }
    data.update(extra)
    return services.activity_create(
        actor=actor, activity_type=campus_type, university=university, lines=[("讲师费", "30000")], **data
    )


def _committed(pool) -> Decimal:
    return with_pool_figures(BudgetPool.objects.filter(pk=pool.pk)).get().committed


def test_campus_activity_draws_on_the_pool_once(
    campus_type, university, member_a_admin, coordinator, pool, make_activity
):
    forum = make_activity(member_a_admin)
    services.activity_approve(actor=coordinator, activity=forum, pool=pool, amount="100000")
    campus = _campus(member_a_admin, campus_type, university)
    campus = services.activity_submit(actor=member_a_admin, activity=campus)
    campus = services.activity_approve(actor=coordinator, activity=campus, pool=pool, amount="25000")
    assert campus.university == university
    assert _committed(pool) == Decimal("125000.00")
    assert Allocation.objects.filter(target_id=str(campus.pk), target_type__model="activity").count() == 1
    # Approving again is refused and adds nothing to the pool.
    with pytest.raises(ValidationError):
        services.activity_approve(actor=coordinator, activity=campus, pool=pool, amount="25000")
    assert _committed(pool) == Decimal("125000.00")
    # Carried through to payment, the amount is still counted once.
    campus = services.activity_mark_held(actor=member_a_admin, activity=campus)
    assert _committed(pool) == Decimal("125000.00")


def test_campus_activity_needs_a_university(campus_type, university, member_a_admin, forum_type):
    draft = _campus(member_a_admin, campus_type, None)
    with pytest.raises(ValidationError) as exc:
        services.activity_submit(actor=member_a_admin, activity=draft)
    assert "university" in exc.value.message_dict
    # A futures company is not a university.
    with pytest.raises(ValidationError) as exc:
        _campus(member_a_admin, campus_type, member_a_admin.organisation)
    assert "university" in exc.value.message_dict
    # Another kind of activity names no university.
    forum = services.activity_create(
        actor=member_a_admin,
        activity_type=forum_type,
        university=university,
        title="论坛",
        starts_on=LAST_WEEK,
        ends_on=LAST_WEEK,
    )
    assert forum.university_id is None


def test_campus_activity_of_another_member_is_not_found(
    client, campus_type, university, member_a_admin, member_b_admin
):
    campus = _campus(member_a_admin, campus_type, university)
    login(client, member_b_admin)
    assert client.get(reverse("activities:detail", args=[campus.pk])).status_code == 404
    assert campus.title not in client.get(reverse("activities:list")).content.decode()
    assert client.get(f"/api/v1/activities/{campus.pk}/").status_code == 404


def test_type_names_in_english_and_chinese(client, campus_type, university, member_a_admin):
    campus = _campus(member_a_admin, campus_type, university)
    login(client, member_a_admin)
    page = client.get(reverse("activities:detail", args=[campus.pk])).content.decode()
    assert "校园人才培养" in page and "同济大学" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (reverse("activities:list"), reverse("activities:detail", args=[campus.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Campus talent cultivation" in page, url
        assert "校园人才培养" not in page, url
    assert "Tongji University" in page
    body = client.get(f"/api/v1/activities/{campus.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["activity_type"] == "Campus talent cultivation"
    assert body["university"] == "Tongji University"
    assert body["activity_kind"] == "campus"


def test_campus_list_constant_queries(client, campus_type, member_a_admin, coordinator):
    login(client, coordinator)
    n = iter(range(100))

    def grow():
        for _ in range(3):
            i = next(n)
            uni = OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name_zh=f"大学{i}", member_number=None)
            _campus(member_a_admin, campus_type, uni, title=f"校园活动{i}")

    grow()  # the page with rows (an empty page reads the guideline differently)
    assert_constant_queries(client, reverse("activities:list"), grow)


def test_type_english_name_in_search_home_pdf_and_types(client, campus_type, university, member_a_admin, coordinator):
    from django.utils import translation

    from huifu.activities import search_provider
    from huifu.activities.home_cards import activities_card

    campus = _campus(member_a_admin, campus_type, university)
    with translation.override("en"):
        found = search_provider.find(user=member_a_admin, text="Campus talent", limit=5)
        assert [hit.title for hit in found.hits] == [campus.title]
        assert "Campus talent cultivation" in found.hits[0].detail
        assert str(campus_type) == f"{TODAY.year} Campus talent cultivation"
    with translation.override("zh-hans"):
        assert str(campus_type) == f"{TODAY.year} 校园人才培养"
        assert activities_card(member_a_admin) is not None
    login(client, coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    types_page = client.get(reverse("activities:types"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Campus talent cultivation" in types_page
    pdf = client.get(reverse("activities:pdf", args=[campus.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
