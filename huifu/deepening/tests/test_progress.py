"""Issue #10 point 6 on the plan page: the stepper shows the stage, who acts next and the viewer's
next action; point 13: the approval step of the timeline reads in the reader's language."""

from __future__ import annotations

import pytest
from django.conf import settings

from huifu.core.testing.auth import login

pytestmark = pytest.mark.django_db


def _page(client, plan, language="zh-hans"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(plan.get_absolute_url())
    return response.context["stepper"], response.content.decode()


def test_plan_stepper_per_state_and_viewer(client, make_plan, ent_shanghai, ent_jiangxi, member_a_admin, coordinator):
    plan = make_plan(enterprises=[ent_shanghai])
    login(client, member_a_admin)
    stepper, body = _page(client, plan)
    assert stepper.current.key == "draft" and stepper.next_actor == "期货公司"
    assert stepper.action.url == "#submit-box" and 'id="submit-box"' in body

    plan = make_plan(enterprises=[ent_jiangxi], submit=True, title="第二个计划")
    stepper, _body = _page(client, plan)
    assert stepper.current.key == "submitted" and stepper.next_actor == "会员管理部" and stepper.action is None
    assert stepper.due_at is not None
    client.logout()
    login(client, coordinator)
    stepper, body = _page(client, plan)
    assert stepper.action.url == "#review-box" and 'data-testid="next-action"' in body
    stepper, body = _page(client, plan, "en")
    assert stepper.next_actor == "Member Management"
