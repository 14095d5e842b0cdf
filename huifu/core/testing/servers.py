"""Where the real servers of the integration tests are (``@pytest.mark.integration``).

``scripts/integration_servers.sh`` starts a throwaway Dovecot, checks Redis, starts an S3
emulator, and exports ``HUIFU_INTEGRATION=1`` with the addresses below. Without
``HUIFU_INTEGRATION=1`` these tests are skipped; with it, a server that cannot be reached FAILS
the test (CI must not pass by skipping).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest


def integration_enabled() -> bool:
    return os.environ.get("HUIFU_INTEGRATION") == "1"


def require_server(name: str, host: str, port: int) -> None:
    """Skip unless integration tests are on; then fail if ``host:port`` does not answer."""
    if not integration_enabled():
        pytest.skip("integration test: run scripts/integration_servers.sh (HUIFU_INTEGRATION=1)")
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        pytest.fail(f"{name} cannot be reached at {host}:{port}: {exc}")


@dataclass(frozen=True)
class ImapServer:
    host: str
    tls_port: int
    starttls_port: int
    user: str
    password: str
    ca_file: str


@dataclass(frozen=True)
class S3Server:
    endpoint: str


@pytest.fixture
def imap_server() -> ImapServer:
    env = os.environ
    server = ImapServer(
        host=env.get("HUIFU_TEST_IMAP_HOST", "127.0.0.1"),
        tls_port=int(env.get("HUIFU_TEST_IMAPS_PORT", "10993")),
        starttls_port=int(env.get("HUIFU_TEST_IMAP_STARTTLS_PORT", "10143")),
        user=env.get("HUIFU_TEST_IMAP_USER", "msc"),
        password=env.get("HUIFU_TEST_IMAP_PASSWORD", ""),
        ca_file=env.get("HUIFU_TEST_IMAP_CA_FILE", ""),
    )
    require_server("Dovecot (IMAPS)", server.host, server.tls_port)
    require_server("Dovecot (IMAP STARTTLS)", server.host, server.starttls_port)
    return server


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("HUIFU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    parsed = urlparse(url)
    require_server("Redis", parsed.hostname or "127.0.0.1", parsed.port or 6379)
    return url


@pytest.fixture
def s3_server() -> S3Server:
    endpoint = os.environ.get("HUIFU_TEST_S3_ENDPOINT", "http://127.0.0.1:15000")
    parsed = urlparse(endpoint)
    require_server("S3 emulator", parsed.hostname or "127.0.0.1", parsed.port or 80)
    return S3Server(endpoint=endpoint)
