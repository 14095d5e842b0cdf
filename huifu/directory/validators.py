"""Field rules of the directory, shared by forms, the API, the Excel importer and the services.

The unified social credit code (统一社会信用代码, USCC) follows GB 32100-2015: 18 characters from a
31-character alphabet (digits and capital letters without I, O, S, V, Z); the 18th is a check
character computed from the first 17 with weights 3^(i) mod 31.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

MEMBER_NUMBER_RE = re.compile(r"^\d{4,8}$")

# GB 11714 organisation code (characters 9-17 of a USCC); used to make realistic demo codes.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_character(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a USCC."""
    if len(first17) != 17 or any(ch not in _USCC_VALUE for ch in first17):
        raise ValueError("need 17 characters of the USCC alphabet")
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def organisation_code_check(body8: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, _ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalise_uscc(value: str | None) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_uscc(value: str) -> None:
    """Raise ValidationError unless ``value`` is a well-formed USCC with the right check character."""
    code = normalise_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters (this one has %(n)d)."),
            code="uscc_length",
            params={"n": len(code)},
        )
    if not _USCC_SHAPE.match(code):
        raise ValidationError(
            _(
                "A unified social credit code uses digits and capital letters except I, O, S, V and Z, "
                "and characters 3 to 8 are digits."
            ),
            code="uscc_characters",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The unified social credit code's check character is wrong; please check the code."),
            code="uscc_checksum",
        )


def make_uscc(*, registration: str = "91", division: str = "310000", org_body: str) -> str:
    """Build a valid USCC from its parts (used for demo data and tests)."""
    body = org_body.upper()
    first17 = f"{registration}{division}{body}{organisation_code_check(body)}"
    return first17 + uscc_check_character(first17)


def validate_member_number(value: str) -> None:
    if not MEMBER_NUMBER_RE.match(value or ""):
        raise ValidationError(_("A member number is 4 to 8 digits."), code="member_number_format")
