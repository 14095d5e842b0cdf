"""Fetching messages from the Market Service Center mailbox.

Production: IMAP (``HUIFU_INTAKE_IMAP_*``). The connection is encrypted and the server's
certificate verified against the system's CAs, or against ``HUIFU_INTAKE_IMAP_CA_FILE`` for a
private CA; there is no "accept any certificate" switch. ``HUIFU_INTAKE_IMAP_SECURITY`` is
``tls`` (implicit TLS, port 993) or ``starttls`` (port 143, refused if the server does not offer
it). Every message of the folder that does not carry the ``$HuifuImported`` keyword is taken by
UID (read or unread: nothing depends on ``\\Seen``, and reading it does not mark it read); once
imported it gets the keyword and, with ``HUIFU_INTAKE_IMAP_DONE_FOLDER``, is moved there.

Embedded default: a local folder of .eml files (``HUIFU_INTAKE_MAILDIR``, default
var/intake/inbox); each processed file moves to ``HUIFU_INTAKE_DONE_DIR`` (var/intake/done).

A message that cannot be imported (an error while reading it) is kept once in the triage queue
with the reason (``intake_record_unreadable``) and marked as processed: it does not fail again at
every run. A message imported before is recognised and not imported again. Two runs never overlap
(``fetch_lock``): a second run finds the lock taken and does nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import imaplib
import logging
import shutil
import ssl
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from huifu.files.services import discard_rolled_back_files

from .services import intake_import, intake_record_unreadable

logger = logging.getLogger(__name__)

IMPORTED_KEYWORD = "$HuifuImported"
# pg_try_advisory_lock key: any constant unique within the database ("huifu intake").
ADVISORY_LOCK_KEY = 0x48554946_0001
IMAP_TIMEOUT = 60


class MailboxError(Exception):
    """The mailbox cannot be read at all (connection, certificate, login, folder). The message is
    one line an operator can act on."""


@dataclass
class FetchResult:
    imported: int = 0
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)
    skipped_locked: bool = False


# --- One run at a time ------------------------------------------------------------------------


@contextlib.contextmanager
def fetch_lock() -> Iterator[bool]:
    """Yield True if this run holds the intake lock, False if another run does.

    PostgreSQL: a session advisory lock (works across hosts). Otherwise: an exclusive ``flock``
    on ``HUIFU_INTAKE["LOCK_FILE"]`` (one host, which is what SQLite allows anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with contextlib.suppress(Exception), connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        return
    path = Path(settings.HUIFU_INTAKE.get("LOCK_FILE") or Path(tempfile.gettempdir()) / "huifu-intake-fetch.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- Importing one message --------------------------------------------------------------------


def _import_one(raw: bytes, *, source: str, name: str, label: str, result: FetchResult) -> bool:
    """Import ``raw``; True when the message is dealt with (imported, known, or kept in the
    triage queue as unreadable) and may be marked processed at the source."""
    try:
        _message, created = intake_import(raw=raw, source=source, name=name)
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the others
        discard_rolled_back_files()
        logger.exception("intake: could not import %s", label)
        reason = f"{exc.__class__.__name__}: {exc}"
        try:
            _unreadable, created = intake_record_unreadable(raw=raw, source=source, name=name, reason=reason)
        except Exception as keep_exc:  # noqa: BLE001 - e.g. storage down: retried at the next run
            discard_rolled_back_files()
            logger.exception("intake: could not keep %s for triage", label)
            result.failed.append(
                f"{label}: could not be imported ({reason}) nor kept for triage ({keep_exc}); retried next run"
            )
            return False
        if created:
            result.failed.append(f"{label}: could not be imported ({reason}); kept in the triage queue")
        else:
            result.duplicates += 1
        return True
    result.imported += int(created)
    result.duplicates += int(not created)
    return True


def fetch_maildir(inbox: Path, done: Path) -> FetchResult:
    result = FetchResult()
    if not inbox.exists():
        return result
    done.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")):
        if not _import_one(path.read_bytes(), source="maildir", name=path.name, label=path.name, result=result):
            continue
        target = done / path.name
        if target.exists():
            target = done / f"{path.stem}-{path.stat().st_mtime_ns}{path.suffix}"
        shutil.move(str(path), str(target))
    return result


# --- IMAP ----------------------------------------------------------------------------------


def ssl_context(config: dict[str, Any]) -> ssl.SSLContext:
    """Verifying context: the system's CAs, or only ``CA_FILE`` when it is set. Host name checked."""
    ca_file = config.get("IMAP_CA_FILE") or None
    try:
        return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise MailboxError(f"IMAP: the CA file {ca_file} cannot be read: {exc}") from exc


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _detail(data: Any) -> str:
    parts = data if isinstance(data, list | tuple) else [data]
    text = " ".join(p.decode(errors="replace") if isinstance(p, bytes) else str(p) for p in parts if p)
    return text.strip() or "no detail"


def imap_connect(config: dict[str, Any]) -> imaplib.IMAP4:
    """Connect, encrypt and log in; MailboxError with one clear line otherwise."""
    host = config["IMAP_HOST"]
    security = (config.get("IMAP_SECURITY") or "tls").lower()
    if security not in {"tls", "starttls"}:
        raise MailboxError(f"IMAP: HUIFU_INTAKE_IMAP_SECURITY must be tls or starttls, not {security!r}")
    port = int(config.get("IMAP_PORT") or (993 if security == "tls" else 143))
    where = f"{host}:{port}"
    context = ssl_context(config)
    try:
        if security == "tls":
            client: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=IMAP_TIMEOUT)
        else:
            client = imaplib.IMAP4(host, port, timeout=IMAP_TIMEOUT)
            try:
                client.starttls(ssl_context=context)
            except Exception:
                with contextlib.suppress(Exception):
                    client.shutdown()
                raise
    except ssl.SSLCertVerificationError as exc:
        raise MailboxError(
            f"IMAP: the certificate of {where} is not trusted ({exc.verify_message}); "
            "if the server uses a private CA, set HUIFU_INTAKE_IMAP_CA_FILE to that CA's certificate"
        ) from exc
    except ssl.SSLError as exc:
        raise MailboxError(f"IMAP: TLS with {where} failed: {exc}") from exc
    except (TimeoutError, OSError) as exc:
        raise MailboxError(f"IMAP: cannot connect to {where}: {exc}") from exc
    except imaplib.IMAP4.error as exc:  # e.g. STARTTLS not offered: never fall back to plain text
        raise MailboxError(f"IMAP: {where} refused {security.upper()}: {exc}") from exc
    try:
        client.login(config["IMAP_USER"], config["IMAP_PASSWORD"])
    except imaplib.IMAP4.error as exc:
        _logout(client)
        raise MailboxError(f"IMAP: login as {config['IMAP_USER']!r} at {where} refused: {exc}") from exc
    return client


def _logout(client: imaplib.IMAP4) -> None:
    with contextlib.suppress(Exception):  # the connection may already be gone
        client.logout()


def _mark_processed(client: imaplib.IMAP4, uid: bytes, done_folder: str) -> str | None:
    """Flag the message with the keyword, then move it to ``done_folder`` if one is set. Returns
    an error line, or None."""
    status, data = client.uid("STORE", uid, "+FLAGS", f"({IMPORTED_KEYWORD})")
    if status != "OK":
        return f"uid {uid.decode()}: imported, but the {IMPORTED_KEYWORD} keyword could not be set ({_detail(data)})"
    if not done_folder:
        return None
    # Asked after login: servers announce MOVE/UIDPLUS only to authenticated clients.
    _status, data = client.capability()
    capabilities = set(_detail(data).upper().split())
    if "MOVE" in capabilities:
        status, data = client.uid("MOVE", uid, _quote(done_folder))
    else:
        status, data = client.uid("COPY", uid, _quote(done_folder))
        if status == "OK":
            client.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
            if "UIDPLUS" in capabilities:
                client.uid("EXPUNGE", uid)
    if status != "OK":
        return f"uid {uid.decode()}: imported, but not moved to “{done_folder}” ({_detail(data)})"
    return None


def fetch_imap(config: dict[str, Any]) -> FetchResult:
    result = FetchResult()
    folder = config.get("IMAP_FOLDER") or "INBOX"
    done_folder = config.get("IMAP_DONE_FOLDER") or ""
    client = imap_connect(config)
    try:
        status, data = client.select(_quote(folder))
        if status != "OK":
            raise MailboxError(f"IMAP: folder “{folder}” cannot be opened: {_detail(data)}")
        status, data = client.uid("SEARCH", None, "UNKEYWORD", IMPORTED_KEYWORD)
        if status != "OK":
            raise MailboxError(f"IMAP: searching “{folder}” failed: {_detail(data)}")
        for uid in (data[0] or b"").split():
            label = f"uid {uid.decode()}"
            status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")  # PEEK: \Seen is left alone
            raw = next((p[1] for p in parts or [] if isinstance(p, tuple)), None)
            if status != "OK" or raw is None:
                result.failed.append(f"{label}: could not be fetched ({_detail(parts)})")
                continue
            if not _import_one(raw, source="imap", name=f"imap-{uid.decode()}.eml", label=label, result=result):
                continue
            problem = _mark_processed(client, uid, done_folder)
            if problem:
                result.failed.append(problem)
    except imaplib.IMAP4.abort as exc:
        raise MailboxError(f"IMAP: the connection was lost: {exc}") from exc
    except (TimeoutError, OSError) as exc:
        raise MailboxError(f"IMAP: the connection failed: {exc}") from exc
    finally:
        _logout(client)
    return result


def fetch() -> FetchResult:
    """Fetch once, unless another run holds the lock (then ``skipped_locked`` and nothing done).
    Raises MailboxError when the mailbox cannot be read at all."""
    config = settings.HUIFU_INTAKE
    with fetch_lock() as acquired:
        if not acquired:
            return FetchResult(skipped_locked=True)
        if config.get("IMAP_HOST"):
            return fetch_imap(config)
        return fetch_maildir(Path(config["MAILDIR"]), Path(config["DONE_DIR"]))
