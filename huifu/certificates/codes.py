"""Certificate numbers and verification codes.

The number is readable and sequential (``2026-000123``); the verification code in the QR code is
not: 20 base32 characters of an HMAC-SHA256 of the number under a key derived from the server's
secret. Knowing numbers does not give codes, so the public page cannot be walked by number, and
an altered code (one character changed) matches nothing. Codes are stored at issue, so a later
change of the secret does not invalidate certificates already printed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from django.conf import settings

CODE_LENGTH = 20
CODE_PATTERN = re.compile(rf"^[A-Z2-7]{{{CODE_LENGTH}}}$")
_KEY_SALT = b"huifu.certificates.verification"


def certificate_number(year: int, serial: int) -> str:
    return f"{year}-{serial:06d}"


def verification_code(number: str) -> str:
    key = hashlib.sha256(_KEY_SALT + settings.SECRET_KEY.encode()).digest()
    digest = hmac.new(key, number.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def normalise_code(raw: str) -> str | None:
    """The code as stored, or None when it cannot be one (wrong length or characters): such a
    code is "not found" without a database query."""
    code = "".join(str(raw or "").split()).replace("-", "").upper()
    return code if CODE_PATTERN.match(code) else None


def mask_name(name: str) -> str:
    """The holder's name partly hidden for the public page: 张三明 → 张*明, 李四 → 李*,
    欧阳娜娜 → 欧**娜; Latin names keep each word's first letter (John Smith → J*** S****)."""
    name = " ".join(str(name or "").split())
    if not name:
        return "*"
    if " " in name or name.isascii():
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split(" "))
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
