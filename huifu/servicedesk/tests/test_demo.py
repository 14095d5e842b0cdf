"""The demo seed: runs after the directory and accounts demo data, is idempotent, and shows
the desk in realistic states."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from huifu.accounts import demo as accounts_demo
from huifu.audit.models import AuditEvent
from huifu.directory import demo as directory_demo
from huifu.servicedesk import demo
from huifu.servicedesk.models import (
    AnswerMode,
    CollectiveAnswer,
    FeedbackForm,
    FeedbackItem,
    FormStatus,
    ItemStatus,
    Reply,
    ReplyStatus,
    Satisfaction,
)
from huifu.tracking.models import TrackedItem, TrackedStatus

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "forms": FeedbackForm.objects.count(),
        "items": FeedbackItem.objects.count(),
        "replies": Reply.objects.count(),
        "ratings": Satisfaction.objects.count(),
        "collective": CollectiveAnswer.objects.count(),
        "tracked": TrackedItem.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_seed_twice_is_idempotent_and_realistic(official_calendar):
    out = io.StringIO()
    directory_demo.seed(scale=1, stdout=out)
    accounts_demo.seed(scale=1, stdout=out)
    demo.seed(scale=1, stdout=out)
    first = counts()
    demo.seed(scale=1, stdout=out)
    assert counts() == first
    assert first["forms"] == 6 and first["items"] == 18

    statuses = set(FeedbackForm.objects.values_list("status", flat=True))
    assert {FormStatus.SUBMITTED, FormStatus.IN_PROGRESS, FormStatus.WAITING_MEMBER, FormStatus.REPLIED} <= statuses
    serials: dict[tuple[int, int], list[int]] = {}
    for org, year, serial in FeedbackForm.objects.values_list("organisation", "year", "serial"):
        serials.setdefault((org, year), []).append(serial)
    assert all(sorted(v) == list(range(1, len(v) + 1)) for v in serials.values())  # gapless per company
    sent = Reply.objects.filter(status=ReplyStatus.SENT)
    assert {r.mode for r in sent} == {AnswerMode.WRITTEN, AnswerMode.MEETING}
    assert all(r.letter_id for r in sent if r.mode == AnswerMode.WRITTEN)
    assert all(r.ics_id for r in sent if r.mode == AnswerMode.MEETING)
    assert first["ratings"] >= 1 and first["collective"] == 1
    assert FeedbackItem.objects.filter(status=ItemStatus.COLLECTIVE).exists()

    forms = TrackedItem.objects.filter(kind="feedback_form")
    assert forms.filter(status=TrackedStatus.DONE, on_time=True).exists()  # answered on time
    assert forms.filter(status=TrackedStatus.DONE, on_time=False).exists()  # answered late
    assert forms.filter(status=TrackedStatus.OPEN, due_at__lt=timezone.now()).exists()  # overdue
    assert forms.filter(status=TrackedStatus.PAUSED).exists()  # waiting for the member
    # One item is assigned to two departments and both see it.
    assert any(t.departments.count() == 2 for t in TrackedItem.objects.filter(kind="feedback_item"))
    assert "servicedesk: 6 demo feedback forms" in out.getvalue()
