from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command

from huifu.outbox.models import OutboxMessage
from huifu.tracking import webhooks
from huifu.tracking.deadlines import check_deadlines
from huifu.tracking.models import TrackingPolicy, WebhookDelivery, WebhookStatus
from huifu.tracking.services import tracked_close

from .conftest import at

pytestmark = pytest.mark.django_db


def test_reminder_one_working_day_before_then_escalation_after_due_each_once(
    open_item, dept_staff, dept_head, dept_business, coordinator
):
    item = open_item(received_at=at(2023, 9, 28), amount=2, owner=dept_staff, department=dept_business)
    # due 2023-10-08 (Sunday make-up day); one working day before is Saturday 10-07.
    assert check_deadlines(now=at(2023, 10, 6, 9)) == {"reminded": 0, "escalated": 0}
    assert check_deadlines(now=at(2023, 10, 7, 9)) == {"reminded": 1, "escalated": 0}
    assert check_deadlines(now=at(2023, 10, 7, 10)) == {"reminded": 0, "escalated": 0}
    assert OutboxMessage.objects.filter(topic="tracking_reminder", to=dept_staff.email).count() == 1
    assert check_deadlines(now=at(2023, 10, 9, 9)) == {"reminded": 0, "escalated": 1}
    assert check_deadlines(now=at(2023, 10, 10, 9)) == {"reminded": 0, "escalated": 0}
    escalations = set(OutboxMessage.objects.filter(topic="tracking_escalation").values_list("to", flat=True))
    assert {dept_head.email, coordinator.email, dept_staff.email} <= escalations
    item.refresh_from_db()
    assert item.reminded_at is not None and item.escalated_at is not None


def test_policy_is_data(open_item, dept_staff):
    TrackingPolicy.objects.create(kind="slow", remind_before_working_days=3, escalate_after_due=False)
    open_item(kind="slow", received_at=at(2023, 9, 28), amount=2, owner=dept_staff)
    # due 10-08; three working days before: 10-08 -> 10-07, 09-28, 09-27 ... so 09-27 (already past)
    assert check_deadlines(now=at(2023, 9, 28, 18))["reminded"] == 1
    assert check_deadlines(now=at(2023, 10, 20))["escalated"] == 0


def test_closed_items_are_left_alone(open_item, coordinator, dept_staff):
    item = open_item(received_at=at(2023, 9, 28), owner=dept_staff)
    tracked_close(item=item, actor=coordinator)
    assert check_deadlines(now=at(2023, 11, 1)) == {"reminded": 0, "escalated": 0}


def test_command_runs(open_item, dept_staff, capsys):
    call_command("tracking_check_deadlines")
    assert "tracking:" in capsys.readouterr().out


def test_webhook_retried_then_sent(
    open_item, dept_business, dept_staff, coordinator, django_capture_on_commit_callbacks
):
    dept_business.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test"
    dept_business.save()
    with mock.patch.object(webhooks, "post_json", side_effect=OSError("down")) as failing:
        with django_capture_on_commit_callbacks(execute=True):
            open_item(department=dept_business)
        assert failing.call_count == 1
    row = WebhookDelivery.objects.get()
    assert row.status == WebhookStatus.PENDING and row.attempts == 1 and "down" in row.last_error
    assert row.payload["msgtype"] == "text" and "跟踪事项" in row.payload["text"]["content"]
    with mock.patch.object(webhooks, "post_json") as ok:
        assert webhooks.deliver(row.pk, now=row.next_attempt_at) == "sent"
        ok.assert_called_once()
        assert webhooks.deliver(row.pk, now=row.next_attempt_at) == "skipped"
    row.refresh_from_db()
    assert row.status == WebhookStatus.SENT and row.attempts == 2


def test_webhook_gives_up_after_max_attempts(dept_business):
    row = WebhookDelivery.objects.create(department=dept_business, url="https://example.invalid/hook", payload={})
    with mock.patch.object(webhooks, "post_json", side_effect=OSError("down")):
        for _ in range(webhooks.MAX_ATTEMPTS):
            row.refresh_from_db()
            webhooks.deliver(row.pk, now=row.next_attempt_at or at(2024, 1, 1))
    row.refresh_from_db()
    assert row.status == WebhookStatus.FAILED
