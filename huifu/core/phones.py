"""One phone number rule for every phone field (forms and API): mobile or landline, nothing else.

Phone fields were plain text and took "abc". What Chinese staff and member companies write:
a mobile number (13812345678, +86 138 1234 5678), a landline with its area code
(021-68400000, (010) 1234 5678), a service number (400-820-1234), optionally an extension
(021-68400000 转 123, -123, ext. 123, #123), or two of them separated by "/", "、", "，" or ";".
Full-width digits and punctuation typed with a Chinese input method are read as half-width.
The value is stored as typed (trimmed, full-width folded); only its shape is checked.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_MAX_LENGTH = 40

# Between two numbers in one field.
_SEPARATORS = re.compile(r"\s*(?:/|、|,|，|;|；)\s*")
# An extension at the end: 转 123, 分机 123, ext 123, ext. 123, x123, #123.
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
# The number itself: digits with spaces, hyphens and parentheses between them, + only in front.
_NUMBER = re.compile(r"^\+?[\d\s()-]+$")
_MOBILE = re.compile(r"^(?:86)?1[3-9]\d{9}$")
# Landline: a trunk 0, a 2- or 3-digit area code, a 7- or 8-digit local number; then a short
# -extension written with a hyphen (021-68400000-123).
_LANDLINE = re.compile(r"^0\d{9,11}$")
_SERVICE = re.compile(r"^[48]00\d{7}$")

PHONE_MESSAGE = _(
    "Enter a phone number: a mobile number (13812345678) or a landline with its area code "
    "(021-68400000, extension as 021-68400000 转 123)."
)


def normalise_phone(value: str) -> str:
    """Trimmed, with full-width characters (１３８, －, （）) folded to half-width."""
    return unicodedata.normalize("NFKC", value or "").strip()


def _one_number_is_valid(text: str) -> bool:
    text = _EXTENSION.sub("", text)
    if not text or not _NUMBER.match(text):
        return False
    groups = re.split(r"[\s()-]+", text.lstrip("+"))
    groups = [group for group in groups if group]
    digits = "".join(groups)
    if text.startswith("+"):
        if digits.startswith("86"):
            digits = digits[2:]
            # +86 21 6840 0000: an international landline drops the trunk 0.
            if not digits.startswith("1"):
                digits = "0" + digits
        else:
            return 7 <= len(digits) <= 15  # another country: its own plan, only the length is checked
    if _MOBILE.match(digits) or _SERVICE.match(digits):
        return True
    if _LANDLINE.match(digits):
        return True
    # 021-68400000-123: an extension after a second hyphen. A local number without its area
    # code is refused: nobody outside that city could call it.
    return len(groups) >= 3 and bool(_LANDLINE.match("".join(groups[:-1]))) and len(groups[-1]) <= 6


def validate_phone(value: str) -> None:
    """Raise ValidationError (code ``invalid_phone``) unless every number in ``value`` is a
    mobile, landline (with area code) or 400/800 number. Blank passes: requiredness is the field's."""
    text = normalise_phone(value)
    if not text:
        return
    if not all(_one_number_is_valid(part) for part in _SEPARATORS.split(text) if part):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")


class PhoneField(forms.CharField):
    """A form field for a phone number: ``type="tel"`` (the phone keypad on a phone), folded to
    half-width and checked by ``validate_phone``."""

    default_validators = [validate_phone]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", PHONE_MAX_LENGTH)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.TextInput):
            widget.input_type = "tel"
            attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        return attrs

    def to_python(self, value: Any) -> str:
        return normalise_phone(super().to_python(value))
