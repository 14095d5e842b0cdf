"""Desks sending at the same moment (PostgreSQL: parallel threads, own connections; SQLite: one
after the other): three desks flush offline queues holding the same ticket, scanned at different
times, while one of them resends a scan whose answer it lost. One check-in, at the earliest scan;
one stored scan per scan id."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from huifu.core.testing.concurrency import race
from huifu.core.testing.factories import UserFactory
from huifu.events import services
from huifu.events.models import CheckIn, DeskScan
from huifu.events.services.desk import desk_scan_record
from huifu.events.tickets import ticket_token

from .test_desk import _held_yesterday, _new_session

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_offline_desks_flush_at_once(coordinator, dept_staff, university):
    session = _new_session(coordinator, university, title="并发签到")
    registration = services.registration_create(actor=UserFactory(email="c@example.com"), session=session)
    session = _held_yesterday(session)
    token, now = ticket_token(registration), timezone.now()
    scans = [
        (str(uuid.uuid4()), f"{n}号台", now - datetime.timedelta(minutes=minutes))
        for n, minutes in ((1, 7), (2, 30), (3, 12))
    ]
    lost = scans[1]  # desk 2 (the earliest scan) sends its scan three times at once

    def send(scan_id, desk, at):
        return lambda: desk_scan_record(
            actor=dept_staff,
            session=session,
            client_scan_id=scan_id,
            desk=desk,
            scanned_at=at,
            sent_at=now,
            token=token,
        )

    results = race(*[send(*s) for s in scans], send(*lost), send(*lost))
    assert all(not isinstance(r, BaseException) for r in results), results
    check_in = CheckIn.objects.get()
    assert check_in.desk == "2号台" and abs(check_in.checked_in_at - lost[2]) < datetime.timedelta(seconds=5)
    assert DeskScan.objects.count() == 3
    assert sorted(r.replayed for r in results) == [False, False, False, True, True]
    assert len({r.scan.pk for r in results if str(r.scan.client_scan_id) == lost[0]}) == 1
