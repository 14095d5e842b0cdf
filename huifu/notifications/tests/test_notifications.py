"""The notification centre: written with the change, scoped to its recipient, by preference by
e-mail, shown on the bell, in the list and in the API."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import translation

from huifu.core.testing.access import assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.notifications import kinds
from huifu.notifications.models import Notification, NotificationPreference
from huifu.notifications.selectors import notifications_for, unread_count
from huifu.notifications.services import (
    notification_mark_all_read,
    notify,
    preferences_save,
    webhook_wanted,
)
from huifu.outbox.models import OutboxMessage
from huifu.tracking.models import DeadlineRule
from huifu.tracking.services import tracked_assign, tracked_open
from huifu.workdays.engine import CHINA_TZ

pytestmark = pytest.mark.django_db

MESSAGE = "Assigned to you: %(title)s"


def _notify(user, title="事项一", mail=True, url="/queue/"):
    return notify(
        recipient=user,
        kind=kinds.ASSIGNMENT,
        message=MESSAGE,
        params={"title": title},
        url=url,
        organisation=user.organisation,
        mail={"to": user.email, "subject": f"[会服]{title}", "body_text": "正文", "topic": "t"} if mail else None,
    )


def test_notify_writes_the_notification_and_the_mail(member_a_contact):
    n = _notify(member_a_contact)
    assert n.recipient == member_a_contact and n.read_at is None
    mail = OutboxMessage.objects.get()
    assert (mail.to, mail.subject, mail.recipient) == (member_a_contact.email, "[会服]事项一", member_a_contact)


def test_the_text_follows_the_readers_language(member_a_contact):
    n = _notify(member_a_contact)
    with translation.override("zh-hans"):
        assert n.text == "已分配给您：事项一" or "事项一" in n.text and "Assigned" not in n.text
    with translation.override("en"):
        assert n.text == "Assigned to you: 事项一"


def test_a_translated_parameter_is_translated_when_read(member_a_contact):
    n = notify(
        recipient=member_a_contact,
        kind=kinds.DECISION,
        message="%(outcome)s",
        params={"outcome": {"_t": "Notifications"}},
    )
    with translation.override("en"):
        assert n.text == "Notifications"
    with translation.override("zh-hans"):
        assert n.text == "通知"


def test_email_off_keeps_the_notification_and_drops_the_mail(member_a_contact):
    preferences_save(user=member_a_contact, choices={kinds.ASSIGNMENT: {"email": False}})
    _notify(member_a_contact)
    assert Notification.objects.filter(recipient=member_a_contact).count() == 1
    assert not OutboxMessage.objects.exists()
    # Another kind still mails.
    notify(
        recipient=member_a_contact,
        kind=kinds.DECISION,
        message=MESSAGE,
        params={"title": "x"},
        mail={"to": member_a_contact.email, "subject": "s", "body_text": "b"},
    )
    assert OutboxMessage.objects.count() == 1


def test_an_address_without_account_still_gets_the_mail(db):
    assert (
        notify(
            recipient=None,
            kind=kinds.REPLY,
            message=MESSAGE,
            mail={"to": "x@example.com", "subject": "s", "body_text": "b"},
        )
        is None
    )
    assert OutboxMessage.objects.filter(to="x@example.com").exists()
    assert not Notification.objects.exists()


def test_a_rolled_back_change_leaves_no_notification(member_a_contact):
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(member_a_contact)
        raise RuntimeError
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_unknown_kind_is_refused(member_a_contact):
    with pytest.raises(ValueError):
        notify(recipient=member_a_contact, kind="nope", message=MESSAGE)


def test_webhook_is_silenced_only_when_everybody_told_turned_it_off(dept_staff, dept_head):
    assert webhook_wanted([dept_staff, dept_head], kinds.ASSIGNMENT)
    preferences_save(user=dept_staff, choices={kinds.ASSIGNMENT: {"email": True, "webhook": False}})
    assert webhook_wanted([dept_staff, dept_head], kinds.ASSIGNMENT)
    preferences_save(user=dept_head, choices={kinds.ASSIGNMENT: {"email": True, "webhook": False}})
    assert not webhook_wanted([dept_staff, dept_head], kinds.ASSIGNMENT)
    assert webhook_wanted([dept_staff, dept_head], kinds.REMINDER)


def test_an_assignment_in_the_queue_notifies_the_owner(
    official_calendar, org_a, dept_business, dept_staff, coordinator
):
    item = tracked_open(
        target=org_a,
        kind="test",
        title="会员来函",
        url="/x/",
        received_at=datetime.datetime(2023, 9, 28, 10, tzinfo=CHINA_TZ),
        rule=DeadlineRule.WORKING_DAYS,
        amount=2,
        actor=None,
        department=dept_business,
    )
    Notification.objects.all().delete()
    mails_before = OutboxMessage.objects.count()
    tracked_assign(item=item, owner=dept_staff, actor=coordinator)
    n = Notification.objects.get(recipient=dept_staff)
    assert (n.kind, n.url, n.params["title"]) == (kinds.ASSIGNMENT, "/x/", "会员来函")
    assert OutboxMessage.objects.count() == mails_before + 1  # the mail as before


# --- pages ------------------------------------------------------------------------------------


def test_bell_shows_the_unread_count(client, member_a_contact):
    _notify(member_a_contact)
    _notify(member_a_contact, title="二")
    login(client, member_a_contact)
    body = client.get("/notifications/").content.decode()
    assert 'data-testid="bell-count"' in body and ">2</span>" in body
    assert unread_count(user=member_a_contact) == 2


def test_list_shows_only_my_own(client, member_a_contact, member_b_contact, member_a_admin):
    _notify(member_a_contact, title="A公司的事")
    _notify(member_b_contact, title="B公司的事")
    _notify(member_a_admin, title="A管理员的事")
    login(client, member_a_contact)
    body = client.get("/notifications/").content.decode()
    assert "A公司的事" in body and "B公司的事" not in body and "A管理员的事" not in body


def test_opening_marks_read_and_goes_to_the_record(client, member_a_contact):
    n = _notify(member_a_contact, url="/feedback/")
    login(client, member_a_contact)
    response = client.get(f"/notifications/{n.pk}/")
    assert response.status_code == 302 and response["Location"] == "/feedback/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_an_outside_link_is_not_followed(client, member_a_contact):
    n = _notify(member_a_contact, url="https://evil.example/")
    login(client, member_a_contact)
    assert client.get(f"/notifications/{n.pk}/")["Location"] == "/notifications/"


def test_nobody_opens_or_marks_someone_elses(client, member_a_contact, member_b_contact, coordinator):
    n = _notify(member_b_contact)
    for user in (member_a_contact, coordinator):
        assert_denied(client, user, f"/notifications/{n.pk}/", codes=(404,))
        assert_denied(client, user, f"/notifications/{n.pk}/read/", method="post", codes=(404,))
        assert_denied(client, user, f"/api/v1/notifications/{n.pk}/read/", method="post", codes=(404,))
    assert_denied(client, None, "/notifications/")
    assert_denied(client, None, f"/notifications/{n.pk}/read/", method="post")
    n.refresh_from_db()
    assert n.read_at is None  # denial changed nothing


def test_mark_read_by_htmx_and_mark_all(client, member_a_contact, member_b_contact):
    first = _notify(member_a_contact)
    _notify(member_a_contact, title="二")
    other = _notify(member_b_contact)
    login(client, member_a_contact)
    response = client.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Trigger"] == "notifications-changed"
    assert "notification-unread" not in response.content.decode()
    assert unread_count(user=member_a_contact) == 1
    client.post("/notifications/read-all/")
    assert unread_count(user=member_a_contact) == 0
    other.refresh_from_db()
    assert other.read_at is None  # B's untouched


def test_unread_first(member_a_contact):
    old = _notify(member_a_contact, title="旧")
    new = _notify(member_a_contact, title="新")
    new.read_at = new.created_at
    new.save()
    assert list(notifications_for(user=member_a_contact)) == [old, new]


def test_list_costs_a_constant_number_of_queries(client, member_a_contact):
    _notify(member_a_contact, mail=False)
    login(client, member_a_contact)
    assert_constant_queries(
        client, "/notifications/", lambda: [_notify(member_a_contact, mail=False) for _ in range(8)]
    )


def test_preferences_page_saves_per_kind(client, member_a_contact):
    login(client, member_a_contact)
    assert (
        "通知设置" in client.get("/notifications/preferences/").content.decode()
        or client.get("/notifications/preferences/").status_code == 200
    )
    data = {f"{code}-email": "on" for code in kinds.KINDS if code != kinds.PUBLICATION}
    client.post("/notifications/preferences/", data)
    pref = NotificationPreference.objects.get(user=member_a_contact, kind=kinds.PUBLICATION)
    assert pref.email is False
    assert NotificationPreference.objects.get(user=member_a_contact, kind=kinds.REPLY).email is True
    assert "notifications/preferences" in client.get("/accounts/profile/").content.decode()


# --- API --------------------------------------------------------------------------------------


def test_api_lists_my_own_and_marks_read(client, member_a_contact, member_b_contact):
    mine = _notify(member_a_contact, title="我的")
    _notify(member_b_contact, title="别人的")
    login(client, member_a_contact)
    data = client.get("/api/v1/notifications/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]
    assert set(data) == {"next", "previous", "results"}
    assert client.get("/api/v1/notifications/?unread=1").json()["results"][0]["read_at"] is None
    response = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.get("/api/v1/notifications/?unread=1").json()["results"] == []
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 0}


def test_api_schema_declares_a_cursor_list(client, coordinator):
    login(client, coordinator)
    schema = client.get("/api/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/notifications/"]["get"]["parameters"]}
    assert "cursor" in parameters and "page" not in parameters


def test_mark_all_counts(member_a_contact):
    _notify(member_a_contact)
    assert notification_mark_all_read(user=member_a_contact) == 1
    assert notification_mark_all_read(user=member_a_contact) == 0


def test_home_card_counts_only_my_unread(member_a_contact, member_b_contact):
    from huifu.notifications.home_cards import unread_notifications_card

    _notify(member_a_contact)
    _notify(member_a_contact, title="二")
    _notify(member_b_contact)
    content = unread_notifications_card(member_a_contact)
    assert content.rows[0].count == 2 and len(content.entries) == 2
    assert unread_notifications_card(member_b_contact).rows[0].count == 1
