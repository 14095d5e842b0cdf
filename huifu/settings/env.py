"""The one place where Huifu reads its environment.

Every deployment knob is an environment variable named ``HUIFU_*`` (plus the conventional
``DATABASE_URL``). Values are checked at start-up so a typo fails loudly instead of running
with a silent default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def str(self, name: str, default: str) -> str:
        return self.environ.get(name, default)

    def bool(self, name: str, default: bool) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")

    def int(self, name: str, default: int) -> int:
        raw = self.environ.get(name)
        if raw is None:
            return default
        try:
            return int(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc

    def list(self, name: str, default: list[str]) -> list[str]:
        raw = self.environ.get(name)
        if raw is None:
            return default
        return [part.strip() for part in raw.split(",") if part.strip()]

    def path(self, name: str, default: Path) -> Path:
        raw = self.environ.get(name)
        return Path(raw) if raw else default

    def secret_key(self, fallback_file: Path, *, debug: bool) -> str:
        """HUIFU_SECRET_KEY, or a key generated once and kept in var/ for a local install."""
        key = self.environ.get("HUIFU_SECRET_KEY")
        if key:
            return key
        if fallback_file.exists():
            return fallback_file.read_text().strip()
        fallback_file.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fallback_file.write_text(key)
        fallback_file.chmod(0o600)
        return key

    def database(self, sqlite_path: Path) -> dict[str, Any]:
        url = self.environ.get("DATABASE_URL")
        if not url:
            sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(sqlite_path),
                # Serialise writers instead of failing with "database is locked" under a
                # web server and a job worker sharing one file.
                "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            }
        if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
            raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite:// URL")
        if url.startswith("sqlite://"):
            # The same serialised writers as the default file (a server with several threads).
            return {**dj_database_url.parse(url), "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"}}
        # Health checks let a running app recover by itself after PostgreSQL restarts.
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)

    def file_storage(self, media_root: Path) -> dict[str, Any]:
        from botocore.config import Config

        bucket = self.environ.get("HUIFU_S3_BUCKET")
        if not bucket:
            return {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(media_root)},
            }
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": self.environ.get("HUIFU_S3_ENDPOINT_URL") or None,
                "access_key": self.environ.get("HUIFU_S3_ACCESS_KEY") or None,
                "secret_key": self.environ.get("HUIFU_S3_SECRET_KEY") or None,
                "region_name": self.environ.get("HUIFU_S3_REGION") or None,
                # Files are private: only Huifu's permission-checked view hands them out.
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                # Bounded: an unreachable endpoint fails a request, /healthz or the start-up check
                # within seconds instead of hanging for minutes of retries.
                "client_config": Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
            },
        }

    def redis_url(self) -> str | None:
        return self.environ.get("HUIFU_REDIS_URL") or None

    def tasks(self) -> dict[str, Any]:
        backend = self.environ.get("HUIFU_TASKS_BACKEND")
        if backend is None:
            backend = "rq" if self.redis_url() else "database"
        if backend == "database":
            return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        if backend == "rq":
            if not self.redis_url():
                raise ImproperlyConfigured("HUIFU_TASKS_BACKEND=rq needs HUIFU_REDIS_URL")
            # django-tasks-rq's backend plus an RQ Retry: jobs of dead workers are re-queued (huifu/core/rq.py).
            return {"default": {"BACKEND": "huifu.core.rq.RQBackend", "QUEUES": ["default"]}}
        if backend == "immediate":
            return {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        raise ImproperlyConfigured("HUIFU_TASKS_BACKEND must be database, rq or immediate")

    def rq_queues(self) -> dict[str, Any]:
        url = self.redis_url()
        return {"default": {"URL": url}} if url else {}

    def intake(self, var_dir: Path) -> dict[str, Any]:
        """The Market Service Center mailbox read by ``manage.py intake_fetch``: IMAP when
        HUIFU_INTAKE_IMAP_HOST is set, else a local folder of .eml files (processed ones move to done/)."""
        return {
            "IMAP_HOST": self.str("HUIFU_INTAKE_IMAP_HOST", ""),
            # tls: implicit TLS (993); starttls: plain connection upgraded before login (143).
            "IMAP_SECURITY": self.str("HUIFU_INTAKE_IMAP_SECURITY", "tls"),
            "IMAP_PORT": self.int(
                "HUIFU_INTAKE_IMAP_PORT", 143 if self.str("HUIFU_INTAKE_IMAP_SECURITY", "tls") == "starttls" else 993
            ),
            # Trust this CA certificate (PEM) instead of the system's; verification is never off.
            "IMAP_CA_FILE": self.str("HUIFU_INTAKE_IMAP_CA_FILE", ""),
            # Imported messages get the $HuifuImported keyword and, if set, move to this folder.
            "IMAP_DONE_FOLDER": self.str("HUIFU_INTAKE_IMAP_DONE_FOLDER", ""),
            "LOCK_FILE": self.path("HUIFU_INTAKE_LOCK_FILE", var_dir / "fetch.lock"),
            "IMAP_USER": self.str("HUIFU_INTAKE_IMAP_USER", ""),
            "IMAP_PASSWORD": self.str("HUIFU_INTAKE_IMAP_PASSWORD", ""),
            "IMAP_FOLDER": self.str("HUIFU_INTAKE_IMAP_FOLDER", "INBOX"),
            "MAILDIR": self.path("HUIFU_INTAKE_MAILDIR", var_dir / "inbox"),
            "DONE_DIR": self.path("HUIFU_INTAKE_DONE_DIR", var_dir / "done"),
        }
