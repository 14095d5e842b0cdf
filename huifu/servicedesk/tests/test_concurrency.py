"""Serial numbers under concurrent submissions (real transactions, threads on PostgreSQL)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from huifu.servicedesk import services
from huifu.servicedesk.models import FeedbackForm, SerialCounter

N = 8


def _submit(org, actor, key: str) -> None:
    services.feedback_submit(
        organisation=org,
        actor=actor,
        contact_name="并发",
        phone="1",
        email="c@alpha.example",
        form_date=datetime.date(2024, 1, 2),
        suggestions=["建议优化交易系统接口"],
        help_requests=[],
        idempotency_key=key,
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_get_gapless_unique_serials(official_calendar, org_a, member_a_admin, member_a_contact):
    errors: list[BaseException] = []
    barrier = threading.Barrier(N)

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            _submit(org_a, member_a_admin if i % 2 else member_a_contact, f"k{i}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connection.close()  # each thread's own connection; the test database can then be dropped

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=work, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    else:  # SQLite serialises writers; the same code path runs one after another.
        barrier = threading.Barrier(1)
        for i in range(N):
            work(i)
    assert not errors, errors
    serials = sorted(FeedbackForm.objects.filter(organisation=org_a).values_list("serial", flat=True))
    assert serials == list(range(1, N + 1))
    assert SerialCounter.objects.get(organisation=org_a).last == N


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_click_creates_one_form(official_calendar, org_a, member_a_admin):
    errors: list[BaseException] = []
    barrier = threading.Barrier(4 if connection.vendor == "postgresql" else 1)

    def work() -> None:
        try:
            barrier.wait(timeout=10)
            _submit(org_a, member_a_admin, "same-key")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connection.close()  # each thread's own connection; the test database can then be dropped

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    else:
        for _ in range(4):
            work()
    assert not errors, errors
    assert FeedbackForm.objects.filter(organisation=org_a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_get_gapless_document_numbers(dept_mm):
    """Eight letters numbered at once by one department: 1..8, no gap, no duplicate (the counter
    row is locked with select_for_update inside each sending transaction)."""
    from django.db import transaction

    from huifu.servicedesk.models import LetterCounter

    numbers: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(N if connection.vendor == "postgresql" else 1)

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                numbers.append(services.letter_number_allocate(department=dept_mm, year=2026))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connection.close()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=work, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    else:
        for i in range(N):
            work(i)
    assert not errors, errors
    assert sorted(numbers) == list(range(1, N + 1))
    assert LetterCounter.objects.get(department=dept_mm, year=2026).last == N


@pytest.mark.django_db(transaction=True)
def test_concurrent_letters_of_two_series_each_stay_gapless(dept_mm, dept_business):
    """Letters numbered at once in two departments' own series and the year's shared default
    series (``department=None``, created by the first letter of the year): each series 1..n, no
    gap, no duplicate, however the transactions interleave."""
    from django.db import transaction

    from huifu.servicedesk.models import LetterCounter

    series = [dept_mm, dept_business, None]
    numbers: dict[object, list[int]] = {d: [] for d in series}
    errors: list[BaseException] = []
    barrier = threading.Barrier(N if connection.vendor == "postgresql" else 1)

    def work(i: int) -> None:
        department = series[i % len(series)]
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                numbers[department].append(services.letter_number_allocate(department=department, year=2027))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connection.close()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=work, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    else:
        for i in range(N):
            work(i)
    assert not errors, errors
    for department in series:
        expected = len(range(series.index(department), N, len(series)))
        assert sorted(numbers[department]) == list(range(1, expected + 1)), department
        assert LetterCounter.objects.get(department=department, year=2027).last == expected
