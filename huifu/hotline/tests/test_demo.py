from __future__ import annotations

import pytest

from huifu.hotline import demo
from huifu.hotline.models import FollowUpStatus, HotlineCall

pytestmark = pytest.mark.django_db


def test_seed_logs_calls_once(official_calendar, msc_user, dept_staff, org_a):
    demo.seed(scale=1)
    assert HotlineCall.objects.count() == 5
    assert HotlineCall.objects.filter(follow_up_status=FollowUpStatus.OPEN).count() == 2
    demo.seed(scale=1)
    assert HotlineCall.objects.count() == 5
