"""The audit trail cannot be changed or deleted: by the model everywhere, by a trigger on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from huifu.audit.models import AppendOnlyError, AuditAction, AuditEvent
from huifu.audit.services import audit_record


@pytest.fixture
def event(db, coordinator):
    return audit_record(actor=coordinator, action=AuditAction.LOGIN, message="原始")


def test_model_refuses_update_and_delete(event):
    event.message = "篡改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(message="篡改")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).message == "原始"


def test_database_refuses_raw_update_and_delete(event):
    table = AuditEvent._meta.db_table
    if connection.vendor != "postgresql":
        # SQLite has no trigger installed: only the model guards it there.
        assert connection.vendor == "sqlite"
        return
    for sql in (f"UPDATE {table} SET message = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).message == "原始"


def test_table_can_still_be_flushed_by_the_test_runner(transactional_db, coordinator):
    # TransactionTestCase empties tables with TRUNCATE (PostgreSQL) / DELETE via flush (SQLite
    # has no trigger); this test's own teardown is the proof, the assertion documents it.
    audit_record(actor=coordinator, action=AuditAction.LOGIN)
    assert AuditEvent.objects.count() == 1


def test_admin_is_read_only(rf, coordinator, member_a_admin):
    from django.contrib.admin.sites import site

    admin = site._registry[AuditEvent]
    request = rf.get("/")
    request.user = coordinator
    assert admin.has_view_permission(request)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)
    request.user = member_a_admin
    assert not admin.has_view_permission(request)


@pytest.mark.postgres
def test_database_refuses_truncate(event):
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # no TRUNCATE on SQLite; the model guards deletes
        return
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # Without the test suite's own switch, as in production; the test's own insert is checked
        # first (PostgreSQL refuses TRUNCATE with deferred checks pending, for another reason).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL huifu.allow_audit_truncate = 'off'")
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
