"""Speaker pages: every permission allowed and denied (a denial changes nothing), member company
isolation of the invitations, the signed link (forged, used, expired: a message, never a 500),
and constant query counts on the list pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import get_resolver
from django.utils import timezone
from freezegun import freeze_time

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied, fetch
from huifu.events import services
from huifu.events.invitation_links import invitation_token
from huifu.events.models import InvitationState, Speaker, SpeakerInvitation, SpeakerKind
from huifu.workdays.services import add_working_days

pytestmark = pytest.mark.django_db
I = InvitationState  # noqa: E741


@pytest.fixture(autouse=True)
def _urlconf_loaded_before_the_clock_is_frozen():
    """Load the URLconf (and with it DRF's throttling, whose ``timer = time.time`` is read at
    import) before a test freezes the clock: imported under freezegun, DRF would keep the fake
    clock for the rest of the run and every later API request would fail."""
    get_resolver().url_patterns  # noqa: B018


@pytest.fixture
def days():
    """(reply date, session date) ahead of today, on working days."""
    today = timezone.localdate()
    return add_working_days(today, 3).date, add_working_days(today, 15).date


@pytest.fixture
def series(coordinator, days):
    return services.series_create(actor=coordinator, year=days[1].year, kind="training", title_zh="讲者测试培训")


@pytest.fixture
def session(coordinator, series, days, university):
    """A published training session co-organised by the university."""
    created = services.session_create(
        actor=coordinator,
        series=series,
        co_organisers=[university],
        title="铜期权实务",
        date=days[1],
        mode="on_site",
        address="上海市浦电路500号",
        capacity=50,
        topic_type="new_business",
        audiences=["members_practitioners"],
    )
    return services.session_publish(actor=coordinator, session=created)


@pytest.fixture
def expert(coordinator):
    return services.speaker_create(
        actor=coordinator,
        name="周专家",
        organisation_name="研究院",
        contact_email="zhou@expert.example",
        bio="铜市研究",
    )


@pytest.fixture
def analyst_a(coordinator, org_a, member_a_contact):
    return services.speaker_create(
        actor=coordinator, name="甲分析师", kind=SpeakerKind.MEMBER_ANALYST, organisation=org_a, user=member_a_contact
    )


@pytest.fixture
def analyst_b(coordinator, org_b, member_b_contact):
    return services.speaker_create(
        actor=coordinator, name="乙分析师", kind=SpeakerKind.MEMBER_ANALYST, organisation=org_b, user=member_b_contact
    )


def invite(session, speaker, days, actor):
    return services.speaker_invite(actor=actor, session=session, speaker=speaker, reply_by=days[0])


# --- the pool ------------------------------------------------------------------------------------


def test_pool_pages_matrix(
    client, coordinator, msc_user, dept_staff, member_a_admin, public_user, university_user, regulator, expert
):
    detail, edit = f"/events/speakers/{expert.pk}/", f"/events/speakers/{expert.pk}/edit/"
    for url in ("/events/speakers/", detail, edit, "/events/invitations/"):
        assert_denied(client, None, url)
    for user in (coordinator, msc_user, dept_staff):
        assert_allowed(client, user, "/events/speakers/")
        assert_allowed(client, user, detail)
    for user in (member_a_admin, public_user, university_user, regulator):
        assert_denied(client, user, "/events/speakers/")
        assert_denied(client, user, detail)
        assert_denied(client, user, edit)
    assert_denied(client, dept_staff, edit)
    assert_allowed(client, msc_user, edit)
    data = {"name": "新嘉宾", "kind": "expert", "contact_email": "new@example.com"}
    for user in (dept_staff, member_a_admin, public_user):
        assert_denied(client, user, "/events/speakers/", "post", data)
        assert_denied(client, user, edit, "post", {**data, "name": "改名"})
    assert not Speaker.objects.filter(name__in=["新嘉宾", "改名"]).exists()
    response = assert_allowed(client, coordinator, "/events/speakers/", "post", data, ok=(302,))
    created = Speaker.objects.get(name="新嘉宾")
    assert response["Location"] == created.get_absolute_url()
    assert_allowed(client, coordinator, edit, "post", {**data, "name": "周专家", "title": "院长"}, ok=(302,))
    expert.refresh_from_db()
    assert expert.title == "院长"


def test_pool_form_bad_input_is_shown(client, coordinator, org_a):
    response = fetch(client, coordinator, "/events/speakers/", "post", {"name": "无公司", "kind": "member_analyst"})
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    response = fetch(client, coordinator, "/events/speakers/", "post", {"name": "某", "account_email": "nobody@x.cn"})
    assert response.status_code == 200 and "account_email" in response.context["form"].errors
    assert not Speaker.objects.exists()


def test_public_profile_shows_published_talks_only(client, coordinator, session, analyst_a, series, days):
    url = f"/events/public/speakers/{analyst_a.pk}/"
    assert fetch(client, None, url).status_code == 404  # no published talk yet
    draft = services.session_create(
        actor=coordinator,
        series=series,
        speakers=[analyst_a],
        title="未发布的讲座",
        date=days[1],
        mode="online",
        platform="腾讯会议",
        topic_type="market_outlook",
        audiences=["members_practitioners"],
    )
    assert fetch(client, None, url).status_code == 404
    services.session_update(actor=coordinator, session=session, speakers=[analyst_a])
    response = fetch(client, None, url)
    body = response.content.decode()
    assert response.status_code == 200 and session.title in body and draft.title not in body
    assert analyst_a.user.email not in body  # no account details in public
    assert analyst_a.get_public_url() in fetch(client, None, session.get_public_url()).content.decode()


# --- invitations ---------------------------------------------------------------------------------


def test_invite_page_matrix(
    client,
    coordinator,
    msc_user,
    dept_staff,
    university_user,
    other_university_user,
    member_a_admin,
    session,
    expert,
    days,
):
    url = f"/events/sessions/{session.pk}/invite/"
    data = {"speaker": expert.pk, "reply_by": days[0].isoformat(), "message": "请讲期权"}
    assert_denied(client, None, url)
    for user in (dept_staff, other_university_user, member_a_admin):
        assert_denied(client, user, url)
        assert_denied(client, user, url, "post", data)
    assert not SpeakerInvitation.objects.exists()
    for user in (coordinator, msc_user, university_user):
        assert_allowed(client, user, url)
    assert_allowed(client, university_user, url, "post", data, ok=(302,))
    invitation = SpeakerInvitation.objects.get()
    assert invitation.invited_by == university_user and invitation.message == "请讲期权"


def test_invite_bad_input_on_the_page(client, coordinator, session, expert, days):
    url = f"/events/sessions/{session.pk}/invite/"
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for reply_by in (yesterday.isoformat(), days[1].isoformat(), "2026/13/45", ""):
        response = fetch(client, coordinator, url, "post", {"speaker": expert.pk, "reply_by": reply_by})
        assert response.status_code == 200 and "reply_by" in response.context["form"].errors, reply_by
    invite(session, expert, days, coordinator)
    response = fetch(client, coordinator, url, "post", {"speaker": expert.pk, "reply_by": days[0].isoformat()})
    assert response.status_code == 200 and "speaker" in response.context["form"].errors  # not offered twice
    assert SpeakerInvitation.objects.count() == 1


def test_session_page_shows_invitations_to_staff_and_co_organiser(
    client, coordinator, dept_staff, university_user, session, expert, analyst_a, days
):
    declined = invite(session, expert, days, coordinator)
    services.speaker_invitation_answer_by_link(invitation=declined, accept=False, note="时间冲突")
    invite(session, analyst_a, days, coordinator)
    for user in (coordinator, dept_staff, university_user):
        body = assert_allowed(client, user, session.get_absolute_url()).content.decode()
        assert "周专家" in body and "时间冲突" in body
        # A member company's analyst is not shown to a co-organiser outside that company.
        assert ("甲分析师" in body) is (user != university_user)
    assert (
        f"/events/sessions/{session.pk}/invite/"
        not in fetch(client, dept_staff, session.get_absolute_url()).content.decode()
    )


def test_co_organiser_does_not_see_other_companies_analysts(
    client, coordinator, session, university_user, analyst_b, days
):
    invite(session, analyst_b, days, coordinator)
    body = fetch(client, university_user, session.get_absolute_url()).content.decode()
    assert "乙分析师" not in body
    body = fetch(client, university_user, f"/events/sessions/{session.pk}/invite/").content.decode()
    assert "乙分析师" not in body


def test_withdraw_matrix(client, coordinator, dept_staff, other_university_user, member_a_admin, session, expert, days):
    invitation = invite(session, expert, days, coordinator)
    url = f"/events/invitations/{invitation.pk}/withdraw/"
    assert_denied(client, None, url, "post")
    for user in (dept_staff, other_university_user, member_a_admin):
        assert_denied(client, user, url, "post")
    invitation.refresh_from_db()
    assert invitation.state == I.PENDING
    assert_allowed(client, coordinator, url, "post", ok=(302,))
    invitation.refresh_from_db()
    assert invitation.state == I.WITHDRAWN
    response = fetch(client, coordinator, url, "post", follow=True)  # again: a message, not an error
    assert response.status_code == 200 and len(list(response.context["messages"])) == 1


def test_my_invitations_company_isolation(
    client,
    coordinator,
    member_a_admin,
    member_a_contact,
    member_b_admin,
    member_b_contact,
    public_user,
    session,
    analyst_a,
    analyst_b,
    days,
):
    inv_a = invite(session, analyst_a, days, coordinator)
    inv_b = invite(session, analyst_b, days, coordinator)
    answer_a = f"/events/invitations/{inv_a.pk}/answer/"
    seen = {}
    for user in (member_a_admin, member_a_contact, member_b_admin, member_b_contact, public_user):
        response = assert_allowed(client, user, "/events/invitations/")
        seen[user.email] = {i.pk for i in response.context["page"].object_list}
    assert seen == {
        member_a_admin.email: {inv_a.pk},
        member_a_contact.email: {inv_a.pk},
        member_b_admin.email: {inv_b.pk},
        member_b_contact.email: {inv_b.pk},
        public_user.email: set(),
    }
    assert answer_a not in fetch(client, member_a_admin, "/events/invitations/").content.decode()  # no buttons
    assert answer_a in fetch(client, member_a_contact, "/events/invitations/").content.decode()
    assert_denied(client, member_a_admin, answer_a, "post", {"accept": "1"})  # a colleague: 403
    for user in (member_b_admin, member_b_contact, public_user):  # another company: 404
        assert_denied(client, user, answer_a, "post", {"accept": "1"}, codes=(404,))
    assert_denied(client, None, answer_a, "post", {"accept": "1"})
    inv_a.refresh_from_db()
    assert inv_a.state == I.PENDING and not session.speakers.exists()
    assert_allowed(client, member_a_contact, answer_a, "post", {"accept": "1", "note": "好的"}, ok=(302,))
    inv_a.refresh_from_db()
    assert inv_a.state == I.ACCEPTED and inv_a.reply_note == "好的"
    assert list(session.speakers.all()) == [analyst_a]
    assert "已接受" in fetch(client, member_a_admin, "/events/invitations/").content.decode()  # not 已验收
    response = fetch(client, member_a_contact, answer_a, "post", {"decline": "1"}, follow=True)
    assert response.status_code == 200 and len(list(response.context["messages"])) == 1
    inv_a.refresh_from_db()
    assert inv_a.state == I.ACCEPTED


# --- the signed link -----------------------------------------------------------------------------


def test_link_answers_once(client, coordinator, session, expert, days):
    invitation = invite(session, expert, days, coordinator)
    url = f"/events/invitation/{invitation_token(invitation)}/"
    response = fetch(client, None, url)
    assert response.status_code == 200 and response.context["open"]
    response = fetch(client, None, url, "post", {"decline": "1", "note": "出差"}, follow=True)
    assert response.status_code == 200 and not response.context["open"]
    invitation.refresh_from_db()
    assert invitation.state == I.DECLINED and invitation.reply_note == "出差"
    response = fetch(client, None, url, "post", {"accept": "1"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    invitation.refresh_from_db()
    assert invitation.state == I.DECLINED and not session.speakers.exists()


def test_forged_links_get_a_message_never_500(client, coordinator, session, expert, days):
    invitation = invite(session, expert, days, coordinator)
    token = invitation_token(invitation)
    for bad in (token[:-3] + "abc", token.replace(f"I{invitation.pk}.", f"I{invitation.pk + 1}."), "x", "I1.abc:def"):
        for method in ("get", "post"):
            response = fetch(client, None, f"/events/invitation/{bad}/", method, {"accept": "1"})
            assert response.status_code == 404
            assert "events/speakers/link_invalid.html" in [t.name for t in response.templates]
    invitation.refresh_from_db()
    assert invitation.state == I.PENDING


def test_expired_link_says_so(client, coordinator, session, expert, days):
    invitation = invite(session, expert, days, coordinator)
    url = f"/events/invitation/{invitation_token(invitation)}/"
    with freeze_time(invitation.reply_by + datetime.timedelta(seconds=1)):
        response = fetch(client, None, url)
        assert response.status_code == 200 and not response.context["open"]
        response = fetch(client, None, url, "post", {"accept": "1"}, follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
    invitation.refresh_from_db()
    assert invitation.state == I.PENDING and not session.speakers.exists()


# --- query counts --------------------------------------------------------------------------------


def test_list_pages_constant_queries(client, coordinator, member_a_contact, org_a, session, analyst_a, days, series):
    from huifu.core.testing.factories import org_user

    invite(session, analyst_a, days, coordinator)
    counter = iter(range(100))

    def grow():
        for _ in range(3):
            n = next(counter)
            colleague = org_user(org_a, email=f"ana{n}@alpha.example")
            speaker = services.speaker_create(
                actor=coordinator,
                name=f"分析师{n}",
                kind=SpeakerKind.MEMBER_ANALYST,
                organisation=org_a,
                user=colleague,
                topics="铜",
            )
            invite(session, speaker, days, coordinator)

    fetch(client, coordinator, "/events/speakers/")
    assert_constant_queries(client, "/events/speakers/", grow)
    assert_constant_queries(client, session.get_absolute_url(), grow)
    fetch(client, member_a_contact, "/events/invitations/")
    assert_constant_queries(client, "/events/invitations/", grow)


def test_profile_pages_constant_queries(client, coordinator, analyst_a, series, days):
    def grow():
        for i in range(3):
            created = services.session_create(
                actor=coordinator,
                series=series,
                speakers=[analyst_a],
                title=f"第{i}讲",
                date=days[1],
                mode="online",
                platform="腾讯会议",
                topic_type="market_outlook",
                audiences=["members_practitioners"],
            )
            services.session_publish(actor=coordinator, session=created)

    grow()
    fetch(client, coordinator, analyst_a.get_absolute_url())
    assert_constant_queries(client, analyst_a.get_absolute_url(), grow)
    client.logout()
    assert_constant_queries(client, analyst_a.get_public_url(), grow)


def test_an_answer_needs_a_decision(client, coordinator, member_a_contact, session, analyst_a, days):
    invitation = invite(session, analyst_a, days, coordinator)
    link = f"/events/invitation/{invitation_token(invitation)}/"
    for user, url in ((None, link), (member_a_contact, f"/events/invitations/{invitation.pk}/answer/")):
        for data in ({"note": "嗯"}, {"accept": "1", "note": "长" * 1001}):
            response = fetch(client, user, url, "post", data, follow=True)
            assert response.status_code == 200
            assert [m.level_tag for m in response.context["messages"]] == ["error"]
    invitation.refresh_from_db()
    assert invitation.state == I.PENDING


def test_api_names_an_analysts_company(client, coordinator, dept_staff, session, analyst_a, org_a):
    services.session_update(actor=coordinator, session=session, speakers=[analyst_a])
    detail = assert_allowed(client, dept_staff, f"/api/v1/events/sessions/{session.pk}/").json()
    assert detail["speakers"] == [{"name": "甲分析师", "title": "", "organisation_name": org_a.name_zh}]
