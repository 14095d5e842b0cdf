"""``intake_fetch`` on the local .eml folder: poison messages, exit status, one run at a time."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from huifu.files.models import StoredFile
from huifu.intake import mailbox, services
from huifu.intake.models import IntakeMessage, IntakeStatus

from .conftest import build_eml


@pytest.fixture
def folders(settings, tmp_path):
    inbox, done = tmp_path / "inbox", tmp_path / "done"
    inbox.mkdir()
    settings.HUIFU_INTAKE = {
        **settings.HUIFU_INTAKE,
        "IMAP_HOST": "",
        "MAILDIR": inbox,
        "DONE_DIR": done,
        "LOCK_FILE": tmp_path / "fetch.lock",
    }
    return inbox, done


def test_a_poison_file_is_kept_for_triage_once_and_the_command_fails(folders, official_calendar, monkeypatch):
    inbox, done = folders
    (inbox / "bad.eml").write_bytes(build_eml(message_id="<bad@x>"))
    (inbox / "good.eml").write_bytes(build_eml(message_id="<good@x>", sender="q@q.example"))
    real_keep = services._keep_attachments

    def failing_keep(message, mail):
        if mail.message_id == "<bad@x>":
            raise ValueError("broken part")
        return real_keep(message, mail)

    monkeypatch.setattr(services, "_keep_attachments", failing_keep)
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("intake_fetch", stdout=io.StringIO(), stderr=err)
    assert failed.value.returncode == 1
    assert (
        err.getvalue().strip() == "bad.eml: could not be imported (ValueError: broken part); kept in the triage queue"
    )
    kept = IntakeMessage.objects.get(message_key__startswith="unreadable:")
    assert kept.status == IntakeStatus.NEW and "broken part" in kept.problems[0]
    assert sorted(p.name for p in done.iterdir()) == ["bad.eml", "good.eml"]
    files = StoredFile.objects.count()
    # Dropped in again: recognised, no second stored copy, no failure.
    (inbox / "bad.eml").write_bytes((done / "bad.eml").read_bytes())
    out = io.StringIO()
    call_command("intake_fetch", stdout=out, stderr=io.StringIO())
    assert "already imported 1, failed 0" in out.getvalue()
    assert StoredFile.objects.count() == files


def test_a_second_run_exits_quietly_while_the_first_holds_the_lock(folders, official_calendar):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("one session re-enters its own advisory lock: see the PostgreSQL test below")
    inbox, _done = folders
    (inbox / "m.eml").write_bytes(build_eml(sender="q@q.example"))
    with mailbox.fetch_lock() as held:
        assert held
        out, err = io.StringIO(), io.StringIO()
        call_command("intake_fetch", stdout=out, stderr=err)
    assert "another intake_fetch is running" in out.getvalue() and not err.getvalue()
    assert IntakeMessage.objects.count() == 0 and (inbox / "m.eml").exists()


def test_an_unreachable_server_is_one_line_and_exit_status_1(settings, tmp_path, db):
    settings.HUIFU_INTAKE = {
        **settings.HUIFU_INTAKE,
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": 9,  # discard: nothing listens
        "LOCK_FILE": tmp_path / "fetch.lock",
    }
    with pytest.raises(CommandError) as failed:
        call_command("intake_fetch", stdout=io.StringIO())
    assert str(failed.value).startswith("IMAP: cannot connect to 127.0.0.1:9")
    assert failed.value.returncode == 1


@pytest.mark.postgres
def test_on_postgresql_a_run_on_another_host_holds_the_advisory_lock(folders, official_calendar):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; SQLite uses the lock file (tested above)")
    import psycopg

    inbox, _done = folders
    (inbox / "m.eml").write_bytes(build_eml(sender="q@q.example"))
    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}, autocommit=True)
    try:  # another session (another host's intake_fetch) holds the lock
        other.execute("SELECT pg_advisory_lock(%s)", [mailbox.ADVISORY_LOCK_KEY])
        out = io.StringIO()
        call_command("intake_fetch", stdout=out, stderr=io.StringIO())
        assert "another intake_fetch is running" in out.getvalue()
        assert IntakeMessage.objects.count() == 0
    finally:
        other.close()
    out = io.StringIO()
    call_command("intake_fetch", stdout=out, stderr=io.StringIO())
    assert "imported 1" in out.getvalue()
