"""Audience resolution and read status."""

from __future__ import annotations

import pytest

from huifu.directory.models import OrganisationKind, OrganisationStatus
from huifu.notices import selectors
from huifu.notices.models import AudienceKind, NoticeStatus
from huifu.notices.services import notice_mark_read, notice_withdraw

pytestmark = pytest.mark.django_db


def visible_titles(user) -> set[str]:
    return set(selectors.notices_for_reader(user).values_list("title", flat=True))


def test_all_members_reaches_member_companies_only(make_notice, personas):
    make_notice(title="全体会员", audience_kind=AudienceKind.ALL_MEMBERS)
    assert "全体会员" in visible_titles(personas["member_a"])
    assert "全体会员" in visible_titles(personas["member_b_contact"])
    for name in ("partner", "regulator", "public"):
        assert "全体会员" not in visible_titles(personas[name]), name


def test_named_organisation_reaches_only_that_organisation(make_notice, personas, org_a):
    make_notice(title="致甲", audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a])
    assert "致甲" in visible_titles(personas["member_a"])
    assert "致甲" in visible_titles(personas["member_a_contact"])
    for name in ("member_b", "member_b_contact", "partner", "regulator", "public"):
        assert "致甲" not in visible_titles(personas[name]), name


def test_org_kinds_filter_by_kind_of_organisation(make_notice, personas):
    make_notice(
        title="协会与监管",
        audience_kind=AudienceKind.ORG_KINDS,
        audience_org_kinds=[OrganisationKind.INDUSTRY_ASSOCIATION, OrganisationKind.CSRC_BUREAU],
    )
    make_notice(title="期货公司", audience_kind=AudienceKind.ORG_KINDS, audience_org_kinds=["futures_company"])
    assert visible_titles(personas["partner"]) == {"协会与监管"}
    assert visible_titles(personas["regulator"]) == {"协会与监管"}
    assert visible_titles(personas["member_a"]) == {"期货公司"}
    assert visible_titles(personas["public"]) == set()


def test_public_reaches_every_logged_in_user_but_not_anonymous(make_notice, personas):
    from django.contrib.auth.models import AnonymousUser

    make_notice(title="公开", audience_kind=AudienceKind.PUBLIC)
    for name, user in personas.items():
        assert "公开" in visible_titles(user), name
    assert visible_titles(AnonymousUser()) == set()


def test_drafts_and_withdrawn_are_hidden_from_readers_but_not_staff(make_notice, personas, coordinator):
    make_notice(title="草稿", publish=False)
    withdrawn = make_notice(title="已撤回")
    notice_withdraw(actor=coordinator, notice=withdrawn, reason="内容有误")
    assert visible_titles(personas["member_a"]) == set()
    staff_titles = set(selectors.notice_list_for_staff(user=personas["dept_staff"]).values_list("title", flat=True))
    assert staff_titles == {"草稿", "已撤回"}
    assert selectors.notice_list_for_staff(user=personas["member_a"]).count() == 0


def test_suspended_organisation_still_sees_its_notices(make_notice, personas, org_a):
    org_a.status = OrganisationStatus.SUSPENDED
    org_a.save()
    make_notice(title="全体会员")
    assert "全体会员" in visible_titles(personas["member_a"])


def test_deactivated_user_sees_nothing(make_notice, member_a_admin):
    make_notice(title="公开", audience_kind=AudienceKind.PUBLIC)
    member_a_admin.is_active = False
    member_a_admin.save()
    assert visible_titles(member_a_admin) == set()


def test_audience_users_per_kind(make_notice, personas, org_a):
    everyone_but_staff = {personas[n] for n in personas if n not in ("dept_staff", "dept_head", "coordinator")}
    members = {personas[n] for n in ("member_a", "member_a_contact", "member_b", "member_b_contact")}
    named = make_notice(audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a])
    assert set(selectors.notice_audience_users(named)) == {personas["member_a"], personas["member_a_contact"]}
    assert set(selectors.notice_audience_users(make_notice())) == members
    assert set(selectors.notice_audience_users(make_notice(audience_kind=AudienceKind.PUBLIC))) == everyone_but_staff
    kinds = make_notice(audience_kind=AudienceKind.ORG_KINDS, audience_org_kinds=["csrc_bureau"])
    assert set(selectors.notice_audience_users(kinds)) == {personas["regulator"]}


def test_read_status_per_organisation(make_notice, personas, org_a, org_b):
    notice = make_notice()
    notice_mark_read(actor=personas["member_a_contact"], notice=notice)
    notice_mark_read(actor=personas["member_a"], notice=notice)
    rows = {org.pk: org for org in selectors.notice_read_status(notice)}
    assert set(rows) == {org_a.pk, org_b.pk}
    assert rows[org_a.pk].reader_count == 2
    assert rows[org_a.pk].user_count == 2
    assert rows[org_a.pk].first_reader_email == personas["member_a_contact"].email
    assert rows[org_a.pk].first_read_at is not None
    assert rows[org_b.pk].reader_count == 0 and rows[org_b.pk].first_read_at is None
    # Unread organisations are listed first.
    assert [o.pk for o in selectors.notice_read_status(notice)] == [org_b.pk, org_a.pk]
    assert selectors.notice_read_totals(notice) == {
        "organisations": 2,
        "organisations_read": 1,
        "readers": 2,
        "readers_without_organisation": 0,
    }


def test_unread_count_and_filters(make_notice, member_a_admin):
    first = make_notice(title="铜期货通知", category="guideline")
    make_notice(title="铝期货通知")
    assert selectors.notice_unread_count(user=member_a_admin) == 2
    notice_mark_read(actor=member_a_admin, notice=first)
    assert selectors.notice_unread_count(user=member_a_admin) == 1
    unread = selectors.notice_list_for_reader(user=member_a_admin, unread_only=True)
    assert [n.title for n in unread] == ["铝期货通知"]
    assert [n.title for n in selectors.notice_list_for_reader(user=member_a_admin, category="guideline")] == [
        "铜期货通知"
    ]
    assert [n.title for n in selectors.notice_list_for_reader(user=member_a_admin, search="铝")] == ["铝期货通知"]
    listed = {n.title: n.is_read for n in selectors.notice_list_for_reader(user=member_a_admin)}
    assert listed == {"铜期货通知": True, "铝期货通知": False}


def test_status_groups():
    assert NoticeStatus.editable() == {"draft"}
    assert NoticeStatus.terminal() == {"withdrawn"}
