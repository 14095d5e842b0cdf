from __future__ import annotations

import pytest

from huifu.intake import demo
from huifu.intake.models import IntakeMessage, IntakeStatus

pytestmark = pytest.mark.django_db


def test_seed_imports_three_messages_once(official_calendar, member_a_admin):
    demo.seed()
    assert IntakeMessage.objects.count() == 3
    assert IntakeMessage.objects.filter(status=IntakeStatus.MATCHED).count() == 1
    assert (
        IntakeMessage.objects.get(message_key="mid:<demo-intake-2@huifu.example>").subject
        == "某某期货公司“一站通”会员之声反馈"
    )
    demo.seed()
    assert IntakeMessage.objects.count() == 3
