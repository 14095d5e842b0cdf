"""The home page ("my work"): each role sees its own cards and counts, scoped like the lists;
company A never sees company B's; the query count does not grow with the records."""

from __future__ import annotations

import itertools
import logging

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed

HOME = "/"

ROLES = [
    "member_a_admin",
    "member_a_contact",
    "coordinator",
    "dept_staff",
    "finance_user",
    "partner_user",
    "regulator",
    "public_user",
]


def _cards(response) -> dict[str, object]:
    return {rc.key: rc.content for rc in response.context["cards"]}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_a_home_without_a_failing_card(client, request, role, caplog):
    user = request.getfixturevalue(role)
    with caplog.at_level(logging.ERROR, logger="huifu.core.home"):
        response = assert_allowed(client, user, reverse("core:home"))
    assert not [r for r in caplog.records if r.name == "huifu.core.home"], caplog.text
    print(role, sorted(_cards(response)))


# --- data ------------------------------------------------------------------------------------


def _notices(coordinator, n: int, **fields):
    from huifu.notices.models import AudienceKind
    from huifu.notices.services import notice_create_draft, notice_publish

    fields.setdefault("audience_kind", AudienceKind.ALL_MEMBERS)
    made = []
    for i in range(n):
        draft = notice_create_draft(actor=coordinator, title=f"首页测试通知{i}", body="正文。", **fields)
        made.append(notice_publish(actor=coordinator, notice=draft, notify=False))
    return made


_TARGET_IDS = itertools.count(10_000)


def _tracked(*, organisation, due_in_days: float, owner=None, department=None):
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from huifu.tracking.models import DeadlineRule, TrackedItem

    now = timezone.now()
    item = TrackedItem.objects.create(
        kind="test",
        title="首页测试事项",
        target_type=ContentType.objects.get_for_model(organisation),
        target_id=str(next(_TARGET_IDS)),
        organisation=organisation,
        department=department,
        owner=owner,
        received_at=now - timedelta(days=5),
        deadline_rule=DeadlineRule.CALENDAR_DAYS,
        deadline_amount=5,
        due_at=now + timedelta(days=due_in_days),
    )
    if department is not None:
        item.departments.add(department)
    return item


def _submit_form(user):
    import datetime

    from huifu.servicedesk import services

    return services.feedback_submit(
        organisation=user.organisation,
        actor=user,
        contact_name="张联系",
        phone="021-68400000",
        email="contact@alpha.example",
        form_date=datetime.date(2024, 3, 1),
        suggestions=["建议扩大铜期货交割库容"],
        help_requests=[],
    )


def _row(response, card: str, label: str):
    content = _cards(response)[card]
    for row in content.rows:
        if str(row.label) == label:
            return row.count
    raise AssertionError(f"{card}: no row {label!r} in {[str(r.label) for r in content.rows]}")


# --- per role --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_with_eight_unread_notices_sees_them(client, coordinator, member_a_contact, member_b_contact):
    from huifu.notices.models import AudienceKind
    from huifu.notices.services import notice_mark_read

    notices = _notices(coordinator, 8)
    # Addressed to company A only: B must not count it.
    _notices(
        coordinator, 1, audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[member_a_contact.organisation]
    )
    response = assert_allowed(client, member_a_contact, HOME)
    assert _row(response, "notices.unread", "未读通知") == 9
    assert len(_cards(response)["notices.unread"].entries) == 3
    assert "首页测试通知" in response.content.decode()
    notice_mark_read(actor=member_a_contact, notice=notices[0])
    assert _row(client.get(HOME), "notices.unread", "未读通知") == 8
    response = assert_allowed(client, member_b_contact, HOME)
    assert _row(response, "notices.unread", "未读通知") == 8


@pytest.mark.django_db
def test_department_staff_see_their_own_and_their_departments_queue(
    client, dept_staff, dept_business, dept_msc, msc_user, org_a
):
    for days in (-2, -1):
        _tracked(organisation=org_a, due_in_days=days, owner=dept_staff, department=dept_business)
    _tracked(organisation=org_a, due_in_days=1, owner=dept_staff, department=dept_business)
    _tracked(organisation=org_a, due_in_days=-3, department=dept_business)  # the department's, nobody's yet
    _tracked(organisation=org_a, due_in_days=2, department=dept_business)
    _tracked(organisation=org_a, due_in_days=-4, owner=msc_user, department=dept_msc)  # another department
    _tracked(organisation=org_a, due_in_days=20, owner=dept_staff, department=dept_business)  # not soon
    response = assert_allowed(client, dept_staff, HOME)
    assert _row(response, "tracking.queue", "我的事项·已超期") == 2
    assert _row(response, "tracking.queue", "我的事项·3天内到期") == 1
    assert _row(response, "tracking.queue", "本部门·已超期") == 3
    assert _row(response, "tracking.queue", "本部门·3天内到期") == 2
    assert "全部待办·已超期" not in response.content.decode()
    queue = _cards(response)["tracking.queue"]
    assert queue.rows[0].url.startswith(reverse("tracking:queue")) and "status=overdue" in queue.rows[0].url
    assert queue.rows[1].deadline is not None
    # The other department's member sees only their own.
    response = assert_allowed(client, msc_user, HOME)
    assert _row(response, "tracking.queue", "本部门·已超期") == 1


@pytest.mark.django_db
def test_coordinator_sees_the_whole_queue_and_the_forms_to_start(
    client, coordinator, member_a_admin, dept_business, org_a
):
    _tracked(organisation=org_a, due_in_days=-1, department=dept_business)
    _submit_form(member_a_admin)
    response = assert_allowed(client, coordinator, HOME)
    assert _row(response, "servicedesk.feedback", "已收到、尚未开始办理的反馈表") == 1
    assert _row(response, "tracking.queue", "全部待办·已超期") == 1
    assert "notices.unread" not in _cards(response)  # staff issue notices, they are not an audience


@pytest.mark.django_db
def test_finance_gets_payments_and_no_member_cards(client, finance_user):
    cards = _cards(assert_allowed(client, finance_user, HOME))
    assert _row_of(cards, "budget.payments") == 0
    assert "servicedesk.feedback" not in cards and "activities.activities" not in cards


def _row_of(cards, key):
    return cards[key].rows[0].count


@pytest.mark.django_db
def test_regulator_and_association_see_only_what_applies(client, regulator, partner_user):
    cards = _cards(assert_allowed(client, regulator, HOME))
    assert {"notices.unread", "deepening.plans"} <= set(cards)
    for key in ("tracking.queue", "servicedesk.feedback", "activities.activities", "budget.payments", "events.mine"):
        assert key not in cards
    cards = _cards(assert_allowed(client, partner_user, HOME))
    assert "activities.activities" in cards and "tracking.queue" not in cards and "budget.payments" not in cards


@pytest.mark.django_db
def test_company_a_home_never_counts_company_b_records(client, member_a_admin, member_b_admin, coordinator):
    _submit_form(member_a_admin)
    _submit_form(member_a_admin)
    a = assert_allowed(client, member_a_admin, HOME)
    assert _row(a, "servicedesk.feedback", "正在办理的反馈表") == 2
    b = assert_allowed(client, member_b_admin, HOME)
    assert _row(b, "servicedesk.feedback", "正在办理的反馈表") == 0
    assert member_a_admin.organisation.name_zh not in b.content.decode()
    # An empty card says what to do next.
    assert "欢迎向交易所提交问题和建议" in b.content.decode()


# --- speed -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member_a_admin", "coordinator", "dept_staff", "finance_user"])
def test_home_query_count_is_constant_as_records_grow(
    client, request, role, coordinator, member_a_admin, dept_business, org_a
):
    from huifu.core.testing.access import assert_constant_queries
    from huifu.core.testing.auth import login

    user = request.getfixturevalue(role)
    login(client, user)
    _notices(coordinator, 1)
    _submit_form(member_a_admin)
    _tracked(organisation=org_a, due_in_days=-1, owner=user if user.kind == "staff" else None, department=dept_business)
    client.get(HOME)  # warm per-process caches (content types, menu)

    def grow():
        _notices(coordinator, 4)
        for _ in range(3):
            _submit_form(member_a_admin)
        for days in (-3, -2, 1, 2):
            _tracked(
                organisation=org_a,
                due_in_days=days,
                owner=user if user.kind == "staff" else None,
                department=dept_business,
            )

    assert_constant_queries(client, HOME, grow)
