"""Issue #10 points 6, 7, 13 on the feedback form page: the stepper (stage, next actor, deadline,
the viewer's next action), the history in words (labels, formatted values, no internal fields)
in Chinese and English, and system-written text in the reader's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from huifu.audit.models import AuditAction
from huifu.audit.selectors import history_for
from huifu.audit.services import audit_record
from huifu.core.testing.auth import login
from huifu.core.texts import readable, stored_text
from huifu.servicedesk import services
from huifu.servicedesk.progress import form_progress
from huifu.tracking.services import tracked_for

pytestmark = pytest.mark.django_db


def _stepper(form, user):
    form.refresh_from_db()
    return form_progress(form, user=user, tracked=tracked_for(form, "feedback_form"))


def test_stepper_follows_the_form_through_its_states(submit, coordinator, member_a_admin, dept_staff, dept_business):
    form = submit()
    with translation.override("zh-hans"):
        staff_view = _stepper(form, coordinator)
        assert staff_view.current.key == "submitted"
        assert [s.state for s in staff_view.steps[:3]] == ["done", "current", "todo"]
        assert staff_view.next_actor == "会员管理部" and staff_view.due_at is not None
        assert staff_view.action is not None and staff_view.action.url == "#compose"
        member_view = _stepper(form, member_a_admin)
        assert member_view.action is None  # the member has nothing to do while the exchange works

        services.feedback_pause(form=form, reason="请说明接口版本", actor=coordinator)
        member_view = _stepper(form, member_a_admin)
        assert member_view.current.key == "in_progress" and member_view.note == "等待会员澄清"
        assert member_view.next_actor == "会员单位" and member_view.paused
        assert member_view.action.url == "#clarify"
        assert _stepper(form, dept_staff).action is None  # department staff wait for the member too

        services.feedback_member_answer(form=form, text="接口版本为 3.2", actor=member_a_admin)
        for item in form.items.all():
            services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
        assert _stepper(form, coordinator).next_actor == "承办部门"

        reply = services.reply_compose(form=form, mode="written", text="答复正文", actor=coordinator)
        view = _stepper(form, coordinator)
        assert view.current.key == "reply_drafted" and view.next_actor == "审批人"
        assert view.action.label == "审批并发送" or view.action.url == "#reply"

        services.reply_approve_send(reply=reply, actor=coordinator)
        view = _stepper(form, coordinator)
        assert view.current.key == "replied" and view.action.post and view.due_at is None
        services.feedback_close(form=form, actor=coordinator)
        view = _stepper(form, coordinator)
        assert view.finished and all(s.state == "done" for s in view.steps) and view.action is None


def test_page_shows_stepper_and_next_action_as_a_button(client, submit, coordinator):
    form = submit()
    login(client, coordinator)
    body = client.get(form.get_absolute_url()).content.decode()
    assert 'data-testid="stepper"' in body and 'aria-current="step"' in body
    assert 'data-testid="next-action"' in body and 'href="#compose"' in body
    assert "下一步由" in body and "会员管理部" in body


def _history_text(client, form, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(form.get_absolute_url()).content.decode()


def test_history_reads_as_words_in_both_languages(client, submit, coordinator, member_a_admin):
    form = submit()
    audit_record(
        actor=coordinator,
        action=AuditAction.UPDATE,
        target=form,
        changes={"channel": ["portal", "email"], "received_at": [None, "2024-03-01T02:30:00+00:00"]},
        message=stored_text("Approved: %(amount)s CNY.", amount="30,000.00"),
    )
    audit_record(actor=coordinator, action=AuditAction.UPDATE, target=form, changes={"extra": {"channel": "email"}})
    login(client, coordinator)
    zh = _history_text(client, form, "zh-hans")
    assert "idempotency" not in zh and "幂等" not in zh
    assert "2024-03-01 10:30" in zh  # local time (Asia/Shanghai), one format
    assert "批准金额 30,000.00 元。" in zh
    assert '{"' not in zh.split('id="audit-history-title"')[1]  # no raw JSON in the history
    en = _history_text(client, form, "en")
    assert "Approved: 30,000.00 CNY." in en
    assert "idempotency" not in en.lower() and '{"' not in en.split('id="audit-history-title"')[1]
    # Choice labels, not codes, and the field's own label.
    with translation.override("en"):
        rows = [r for e in history_for(form, user=coordinator) for r in e.rows]
        channel = next(r for r in rows if r.before is not None and r.label.lower().startswith("channel"))
        assert channel.before != "portal" and channel.after != "email"
        nested = next(r for r in rows if r.before is None and ":" in r.after and "Channel" in r.after)
        assert "{" not in nested.after
    # The member never sees the staff history.
    client.logout()
    login(client, member_a_admin)
    assert "audit-history" not in _history_text(client, form, "zh-hans")


def test_text_written_in_chinese_reads_in_english():
    with translation.override("en"):
        assert readable("批准金额 30,000.00 元。") == "Approved: 30,000.00 CNY."
        assert readable("批准金额 30,000.00 元。 请尽快举办") == "Approved: 30,000.00 CNY. 请尽快举办"
        assert readable(stored_text("Further invoice registered.")) == "Further invoice registered."
        assert readable("会员自己写的话") == "会员自己写的话"
    with translation.override("zh-hans"):
        assert readable(stored_text("Approved: %(amount)s CNY.", amount="30,000.00")) == "批准金额 30,000.00 元。"


def test_organisation_is_named_in_the_readers_language(org_a, client, coordinator, submit):
    with translation.override("en"):
        assert str(org_a) == "Alpha Futures Co., Ltd."
    with translation.override("zh-hans"):
        assert str(org_a) == "甲期货有限公司"


def test_language_switch_names_each_language_in_itself(client, coordinator):
    login(client, coordinator)
    for language in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        body = client.get(reverse("core:home") if _has_url("core:home") else "/").content.decode()
        assert ">English</option>" in body and ">简体中文</option>" in body


def _has_url(name):
    try:
        reverse(name)
    except Exception:
        return False
    return True
