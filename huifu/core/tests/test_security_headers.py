"""Security headers: a Content-Security-Policy without inline script on every page; HTTPS
redirect and HSTS on by default when the deployment says it runs on HTTPS."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login

ROOT = Path(__file__).resolve().parents[2]


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_anonymous_pages_carry_the_policy(client, db, path):
    policy = _directives(client.get(path))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_logged_in_pages_carry_the_policy(client, coordinator):
    login(client, coordinator)
    for name in ("core:home", "directory:organisation_list", "accounts:profile"):
        assert _directives(client.get(reverse(name)))["script-src"] == ["'self'"], name


def test_no_template_has_inline_script_or_event_handler():
    offenders = []
    for template in ROOT.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.relative_to(ROOT)}: {tag}")
        offenders += [f"{template.relative_to(ROOT)}: {m}" for m in re.findall(r"\son[a-z]+=", text)]
        offenders += [f"{template.relative_to(ROOT)}: javascript: URL" for _ in re.findall(r"javascript:", text)]
    assert offenders == []


def test_api_docs_work_without_inline_script(client, member_a_contact):
    login(client, member_a_contact)
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)
    init = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(init)
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert _directives(page)["script-src"] == ["'self'"]


def _settings_under(env: dict[str, str]) -> dict:
    code = (
        "import json, huifu.settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "('SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HUIFU_")}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=True, cwd=ROOT.parent
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_deployment_redirects_and_sends_hsts_by_default():
    secure = _settings_under({"HUIFU_SECURE_COOKIES": "true"})
    assert secure == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }
    local = _settings_under({})
    assert local["SECURE_SSL_REDIRECT"] is False and local["SECURE_HSTS_SECONDS"] == 0
    assert (
        _settings_under({"HUIFU_SECURE_COOKIES": "true", "HUIFU_SSL_REDIRECT": "false"})["SECURE_SSL_REDIRECT"] is False
    )
