"""Issue 10 point 5: every item of a Member Voice form assigned in one step."""

from __future__ import annotations

import pytest

from huifu.core.testing.auth import login
from huifu.servicedesk.services.common import ITEM_KIND
from huifu.tracking.services import tracked_for

pytestmark = pytest.mark.django_db


def test_coordinator_assigns_every_item_with_the_same_choice(client, submit, coordinator, dept_staff, dept_business):
    form = submit()
    login(client, coordinator)
    url = f"/feedback/{form.pk}/assign/"
    body = client.get(url).content.decode()
    assert body.count('data-testid="assign-row"') == form.items.count()
    assert "<optgroup" in body and 'data-filter-options="id_all_owner"' in body  # searchable, by department
    assert 'type="checkbox"' in body and "multiple" not in body.split("<form")[-1].split("</form>")[0].replace(
        'type="checkbox"', ""
    )  # further departments are ticked, not a Ctrl-click list
    response = client.post(url, {"all_department": dept_business.pk, "all_owner": dept_staff.pk})
    assert response.status_code == 302
    for item in form.items.all():
        assert item.owner_id == dept_staff.pk
        assert [d.pk for d in item.departments.all()] == [dept_business.pk]
        tracked = tracked_for(item, ITEM_KIND)
        assert tracked.owner_id == dept_staff.pk and tracked.department_id == dept_business.pk


def test_per_item_choices_win_and_an_owner_brings_their_only_department(
    client, submit, coordinator, dept_staff, msc_user, dept_business, dept_msc
):
    form = submit()
    first, second, third = list(form.items.order_by("pk"))
    login(client, coordinator)
    response = client.post(
        f"/feedback/{form.pk}/assign/",
        {
            "all_owner": dept_staff.pk,  # department left blank: the owner's own (有色金属部)
            f"item_{first.pk}_owner": msc_user.pk,
            f"item_{first.pk}_also": [dept_business.pk],
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.owner_id == msc_user.pk
    assert sorted(d.pk for d in first.departments.all()) == sorted([dept_msc.pk, dept_business.pk])
    assert tracked_for(first, ITEM_KIND).department_id == dept_msc.pk  # the owner's department leads
    for item in (second, third):
        item.refresh_from_db()
        assert item.owner_id == dept_staff.pk and [d.pk for d in item.departments.all()] == [dept_business.pk]


def test_nothing_chosen_says_so_and_saves_nothing(client, submit, coordinator):
    form = submit()
    login(client, coordinator)
    response = client.post(f"/feedback/{form.pk}/assign/", {})
    assert response.status_code == 400
    assert "请至少为一个条目选择负责人和部门" in response.content.decode()
    assert not form.items.filter(owner__isnull=False).exists()


def test_only_member_management_assigns(client, submit, dept_staff, member_a_admin, member_b_admin, dept_business):
    form = submit()
    url = f"/feedback/{form.pk}/assign/"
    login(client, dept_staff)
    assert client.get(url).status_code == 403
    assert client.post(url, {"all_department": dept_business.pk, "all_owner": dept_staff.pk}).status_code == 403
    login(client, member_a_admin)
    assert client.get(url).status_code == 403
    login(client, member_b_admin)
    assert client.get(url).status_code in (403, 404)
    assert not form.items.filter(owner__isnull=False).exists()


def test_queue_bulk_assignment_of_member_voice_items_goes_through_the_item(
    client, submit, coordinator, dept_staff, dept_head, dept_business
):
    form = submit()
    items = list(form.items.order_by("pk"))
    tracked = [tracked_for(item, ITEM_KIND) for item in items]
    login(client, coordinator)
    client.post(
        "/queue/bulk-assign/",
        {"bulk-items": [t.pk for t in tracked], "bulk-owner": dept_staff.pk, "bulk-department": dept_business.pk},
    )
    for item in items:
        item.refresh_from_db()
        assert item.owner_id == dept_staff.pk and item.status == "assigned"
    # a department's staff member leads these items now, yet only Member Management assigns them
    login(client, dept_staff)
    client.post("/queue/bulk-assign/", {"bulk-items": [tracked[0].pk], "bulk-owner": dept_head.pk})
    items[0].refresh_from_db()
    assert items[0].owner_id == dept_staff.pk
