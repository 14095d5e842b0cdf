"""Issue #10 points 6, 7, 13 on the activity page: stepper per state, the history's JSON read as
words, timeline steps in the reader's language (new rows stored as message keys, old Chinese rows
read back)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from huifu.activities import services
from huifu.activities.models import ActivityStep
from huifu.activities.progress import activity_progress
from huifu.core.testing.auth import login
from huifu.tracking.models import TrackedItem

pytestmark = pytest.mark.django_db


def _tracked(activity):
    return TrackedItem.objects.filter(target_type__app_label="activities", target_id=str(activity.pk))


def test_stepper_per_state(make_activity, member_a_admin, coordinator, pool):
    activity = make_activity(member_a_admin)
    with translation.override("zh-hans"):
        view = activity_progress(activity, user=coordinator, tracked_items=_tracked(activity))
        assert view.current.key == "submitted" and view.next_actor == "会员管理部"
        assert view.action.url == "#review-box" and view.due_at is not None
        assert activity_progress(activity, user=member_a_admin).action is None
        activity = services.activity_return(actor=coordinator, activity=activity, comment="请补充议程")
        view = activity_progress(activity, user=member_a_admin, tracked_items=_tracked(activity))
        assert view.current.key == "draft" and view.tone == "warn" and view.next_actor == "主办单位"
        assert view.action.url == "#submit-box"
        activity = services.activity_submit(actor=member_a_admin, activity=activity)
        activity = services.activity_approve(actor=coordinator, activity=activity, pool=pool, amount="30000")
        view = activity_progress(activity, user=member_a_admin)
        assert view.current.key == "approved" and [s.state for s in view.steps[:3]] == ["done", "done", "current"]


def _page(client, activity, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(activity.get_absolute_url()).content.decode()


def test_timeline_and_history_read_in_each_language(client, make_activity, member_a_admin, coordinator, pool):
    activity = make_activity(member_a_admin)
    activity = services.activity_approve(actor=coordinator, activity=activity, pool=pool, amount="30000")
    # A row written before message keys existed: finished Chinese words.
    ActivityStep.objects.create(activity=activity, comment="批准金额 12,345.00 元。")
    login(client, coordinator)
    zh = _page(client, activity, "zh-hans")
    assert "批准金额 30,000.00 元。" in zh and "批准金额 12,345.00 元。" in zh
    assert 'data-testid="stepper"' in zh
    history = zh.split('id="audit-history-title"')[1]
    assert '{"industry"' not in history and "产业客户: 120" in history
    en = _page(client, activity, "en")
    assert "Approved: 30,000.00 CNY." in en and "Approved: 12,345.00 CNY." in en
    assert "批准金额" not in en.split('id="timeline"')[1]
    assert "Industry clients: 120" in en.split('id="audit-history-title"')[1]
