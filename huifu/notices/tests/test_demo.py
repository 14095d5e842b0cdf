"""Demo seeding: realistic notices through the services, idempotent, no e-mail."""

from __future__ import annotations

import datetime
import io

import pytest

from huifu.accounts.system import system_actor
from huifu.notices import demo
from huifu.notices.models import AudienceKind, Notice, NoticeStatus
from huifu.notices.selectors import notices_for_reader
from huifu.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_sends_no_mail(coordinator, org_a, org_b, member_a_admin, member_b_admin):
    out = io.StringIO()
    demo.seed(scale=1, stdout=out)
    count = Notice.objects.count()
    demo.seed(scale=1, stdout=out)
    assert Notice.objects.count() == count >= 6
    assert OutboxMessage.objects.count() == 0
    assert "notices:" in out.getvalue()

    numbered = Notice.objects.get(doc_number="上期发〔2023〕61号")
    assert numbered.status == NoticeStatus.PUBLISHED
    assert numbered.published_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).date() == datetime.date(
        2023, 3, 8
    )
    assert numbered.created_by == coordinator
    arrangements = Notice.objects.get(title="2023年会员服务和投资者教育工作安排")
    assert "一站通" in arrangements.body
    assert Notice.objects.filter(audience_kind=AudienceKind.PUBLIC, status=NoticeStatus.PUBLISHED).exists()
    assert Notice.objects.filter(status=NoticeStatus.DRAFT).exists()

    # The notice named to the first futures company does not reach the other one.
    named = Notice.objects.get(audience_kind=AudienceKind.ORGANISATIONS)
    assert (
        notices_for_reader(member_a_admin).filter(pk=named.pk).exists()
        != notices_for_reader(member_b_admin).filter(pk=named.pk).exists()
    )


def test_seed_without_staff_uses_the_system_actor():
    demo.seed(scale=1, stdout=None)
    assert Notice.objects.filter(created_by=system_actor()).count() == Notice.objects.count() >= 5


def test_scale_adds_fifty_notices_per_step():
    demo.seed(scale=1)
    base = Notice.objects.count()
    demo.seed(scale=2)
    assert Notice.objects.count() == base + 100
    demo.seed(scale=2)
    assert Notice.objects.count() == base + 100
