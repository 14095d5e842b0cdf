"""Two requests at once: the same certificate, gapless numbers (PostgreSQL: real threads)."""

from __future__ import annotations

import pytest

from huifu.certificates import services
from huifu.certificates.models import Certificate
from huifu.core.testing.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_issue_returns_one_certificate(coordinator, msc_user, attended, practitioner):
    session = attended["onsite"]
    results = race(
        *[
            lambda actor=actor: services.certificate_issue_attendance(actor=actor, session=session, person=practitioner)
            for actor in (coordinator, msc_user, coordinator, msc_user)
        ]
    )
    assert all(isinstance(r, services.IssueResult) for r in results), results
    assert len({r.certificate.pk for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert Certificate.objects.count() == 1


def test_concurrent_issues_for_different_people_take_gapless_numbers(
    coordinator, msc_user, attended, practitioner, practitioner_b, investor
):
    session = attended["onsite"]
    results = race(
        lambda: services.certificate_issue_attendance(actor=coordinator, session=session, person=practitioner),
        lambda: services.certificate_issue_attendance(actor=msc_user, session=session, person=practitioner_b),
        lambda: services.certificate_issue_attendance(actor=coordinator, session=session, person=investor),
        lambda: services.certificate_issue_session_bulk(actor=msc_user, session=session),
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [1, 2, 3]
    assert Certificate.objects.values("holder").distinct().count() == 3
