"""``intake_fetch`` against a real Dovecot (scripts/integration_servers.sh): certificate checks,
implicit TLS and STARTTLS, UID + keyword instead of \\Seen, poison messages, clear failures."""

from __future__ import annotations

import imaplib
import io
import ssl
import time

import pytest
from django.core.management import CommandError, call_command

from huifu.core.testing.servers import ImapServer, imap_server  # noqa: F401
from huifu.files.models import StoredFile
from huifu.intake import mailbox, services
from huifu.intake.models import IntakeMessage, IntakeStatus

from .conftest import build_eml

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _client(server: ImapServer) -> imaplib.IMAP4_SSL:
    client = imaplib.IMAP4_SSL(
        server.host, server.tls_port, ssl_context=ssl.create_default_context(cafile=server.ca_file), timeout=10
    )
    client.login(server.user, server.password)
    return client


def _reset_mailbox(server: ImapServer, *messages: tuple[bytes, str]) -> None:
    """Empty INBOX and Huifu/Done, then append ``messages`` (raw, flags)."""
    client = _client(server)
    try:
        client.create('"Huifu/Done"')  # NO if it exists: fine
        for folder in ('"Huifu/Done"', "INBOX"):
            _status, data = client.select(folder)
            if int(data[0]):
                client.store("1:*", "+FLAGS", "(\\Deleted)")
                client.expunge()
        for raw, flags in messages:
            status, _ = client.append("INBOX", flags, imaplib.Time2Internaldate(time.time()), raw)
            assert status == "OK"
    finally:
        client.logout()


def _flags_and_count(server: ImapServer, folder: str = "INBOX") -> list[bytes]:
    client = _client(server)
    try:
        status, data = client.select(f'"{folder}"', readonly=True)
        assert status == "OK"
        if int(data[0]) == 0:
            return []
        status, data = client.fetch("1:*", "(FLAGS)")
        return [d for d in data if d]
    finally:
        client.logout()


@pytest.fixture
def configure(settings, imap_server, tmp_path):  # noqa: F811
    def apply(**overrides):
        settings.HUIFU_INTAKE = {
            **settings.HUIFU_INTAKE,
            "IMAP_HOST": imap_server.host,
            "IMAP_PORT": imap_server.tls_port,
            "IMAP_SECURITY": "tls",
            "IMAP_USER": imap_server.user,
            "IMAP_PASSWORD": imap_server.password,
            "IMAP_FOLDER": "INBOX",
            "IMAP_CA_FILE": imap_server.ca_file,
            "IMAP_DONE_FOLDER": "",
            "LOCK_FILE": tmp_path / "fetch.lock",
            **overrides,
        }

    apply()
    return apply


def _run() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("intake_fetch", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_untrusted_certificate_is_refused_and_nothing_is_sent(configure, imap_server, official_calendar):  # noqa: F811
    _reset_mailbox(imap_server, (build_eml(message_id="<cert@x>"), ""))
    configure(IMAP_CA_FILE="")  # the self-signed test CA is not among the system's CAs
    with pytest.raises(CommandError) as refused:
        _run()
    assert "certificate" in str(refused.value) and "not trusted" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert IntakeMessage.objects.count() == 0


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_implicit_tls_and_starttls_with_the_trusted_ca(configure, imap_server, official_calendar, security):  # noqa: F811
    _reset_mailbox(imap_server, (build_eml(message_id=f"<{security}@x>"), ""))
    port = imap_server.tls_port if security == "tls" else imap_server.starttls_port
    configure(IMAP_SECURITY=security, IMAP_PORT=port)
    out, err = _run()
    assert "imported 1" in out and not err
    assert IntakeMessage.objects.filter(source="imap").count() == 1


def test_a_message_already_read_is_imported_and_unread_ones_stay_unread(configure, imap_server, official_calendar):  # noqa: F811
    _reset_mailbox(
        imap_server,
        (build_eml(message_id="<read@x>", subject="已读"), "\\Seen"),
        (build_eml(message_id="<unread@x>", subject="未读"), ""),
    )
    out, _err = _run()
    assert "imported 2" in out
    flags = _flags_and_count(imap_server)
    assert len(flags) == 2 and all(b"$HuifuImported" in f for f in flags)
    assert sum(b"\\Seen" in f for f in flags) == 1  # the unread one is still unread for the staff
    out, _err = _run()  # the keyword, not \Seen, says "done": nothing is fetched again
    assert "imported 0, already imported 0, failed 0" in out


def test_imported_messages_move_to_the_done_folder(configure, imap_server, official_calendar):  # noqa: F811
    _reset_mailbox(imap_server, (build_eml(message_id="<move@x>"), ""))
    configure(IMAP_DONE_FOLDER="Huifu/Done")
    out, _err = _run()
    assert "imported 1" in out
    assert _flags_and_count(imap_server, "INBOX") == []
    assert len(_flags_and_count(imap_server, "Huifu/Done")) == 1


def test_a_missing_folder_is_one_clear_line(configure, imap_server):  # noqa: F811
    configure(IMAP_FOLDER="No such folder")
    with pytest.raises(CommandError) as failed:
        _run()
    assert str(failed.value).startswith("IMAP: folder “No such folder” cannot be opened")
    assert failed.value.returncode == 1


def test_a_wrong_password_is_one_clear_line(configure, imap_server):  # noqa: F811
    configure(IMAP_PASSWORD="wrong")
    with pytest.raises(CommandError) as failed:
        _run()
    assert str(failed.value).startswith(f"IMAP: login as '{imap_server.user}'")
    assert "refused" in str(failed.value)


def test_a_poison_message_reaches_triage_once_and_the_run_fails(
    configure,
    imap_server,  # noqa: F811
    official_calendar,
    monkeypatch,
):
    poison = build_eml(message_id="<poison@x>", subject="毒")
    _reset_mailbox(imap_server, (poison, ""), (build_eml(message_id="<fine@x>"), ""))
    real_keep = services._keep_attachments

    def failing_keep(message, mail):  # fails inside the import, after the raw blob is stored
        if mail.message_id == "<poison@x>":
            raise ValueError("cannot decode part 2")
        return real_keep(message, mail)

    monkeypatch.setattr(services, "_keep_attachments", failing_keep)
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("intake_fetch", stdout=io.StringIO(), stderr=err)
    assert failed.value.returncode == 1
    assert "could not be imported (ValueError: cannot decode part 2); kept in the triage queue" in err.getvalue()
    kept = IntakeMessage.objects.get(message_key__startswith="unreadable:")
    assert kept.status == IntakeStatus.NEW and "cannot decode part 2" in kept.problems[0]
    files_after_first_run = StoredFile.objects.count()
    out, err2 = _run()  # marked processed: no second copy, no second failure
    assert "imported 0, already imported 0, failed 0" in out and not err2
    assert StoredFile.objects.count() == files_after_first_run
    assert IntakeMessage.objects.filter(message_key__startswith="unreadable:").count() == 1


def test_a_second_run_while_one_holds_the_lock_does_nothing(configure, imap_server, official_calendar):  # noqa: F811
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("one session re-enters its own advisory lock: see test_fetch's PostgreSQL test")
    _reset_mailbox(imap_server, (build_eml(message_id="<locked@x>"), ""))
    with mailbox.fetch_lock() as held:
        assert held
        out, err = _run()
    assert "another intake_fetch is running" in out and not err
    assert IntakeMessage.objects.count() == 0
