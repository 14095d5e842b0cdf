"""Fetching messages from the Market Service Center mailbox.

Production: IMAP (``HUIFU_INTAKE_IMAP_HOST`` / ``_USER`` / ``_PASSWORD`` / ``_FOLDER``), unseen
messages, marked seen once imported. Embedded default: a local folder of .eml files
(``HUIFU_INTAKE_MAILDIR``, default var/intake/inbox); each imported file moves to
``HUIFU_INTAKE_DONE_DIR`` (var/intake/done). A message that fails to import stays where it is
and is retried on the next run; a message imported before is recognised and not imported again.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from .services import intake_import

logger = logging.getLogger(__name__)


@dataclass
class FetchResult:
    imported: int = 0
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)


def fetch_maildir(inbox: Path, done: Path) -> FetchResult:
    result = FetchResult()
    if not inbox.exists():
        return result
    done.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            _message, created = intake_import(raw=path.read_bytes(), source="maildir", name=path.name)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            logger.exception("intake: could not import %s", path)
            result.failed.append(f"{path.name}: {exc}")
            continue
        if created:
            result.imported += 1
        else:
            result.duplicates += 1
        target = done / path.name
        if target.exists():
            target = done / f"{path.stem}-{_message.pk}{path.suffix}"
        shutil.move(str(path), str(target))
    return result


def fetch_imap(config: dict[str, Any]) -> FetchResult:
    result = FetchResult()
    client = imaplib.IMAP4_SSL(config["IMAP_HOST"], int(config.get("IMAP_PORT") or 993), timeout=60)
    try:
        client.login(config["IMAP_USER"], config["IMAP_PASSWORD"])
        client.select(config.get("IMAP_FOLDER") or "INBOX")
        status, data = client.uid("search", None, "UNSEEN")
        if status != "OK":
            raise RuntimeError(f"IMAP search failed: {status}")
        for uid in (data[0] or b"").split():
            status, parts = client.uid("fetch", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts or [] if isinstance(p, tuple)), None)
            if status != "OK" or raw is None:
                result.failed.append(f"uid {uid!r}: fetch failed")
                continue
            try:
                _message, created = intake_import(raw=raw, source="imap", name=f"imap-{uid.decode()}.eml")
            except Exception as exc:  # noqa: BLE001
                logger.exception("intake: could not import IMAP uid %s", uid)
                result.failed.append(f"uid {uid!r}: {exc}")
                continue
            result.imported += int(created)
            result.duplicates += int(not created)
            client.uid("store", uid, "+FLAGS", "(\\Seen)")
    finally:
        with contextlib.suppress(Exception):  # the connection may already be gone
            client.logout()
    return result


def fetch() -> FetchResult:
    config = settings.HUIFU_INTAKE
    if config.get("IMAP_HOST"):
        return fetch_imap(config)
    return fetch_maildir(Path(config["MAILDIR"]), Path(config["DONE_DIR"]))
