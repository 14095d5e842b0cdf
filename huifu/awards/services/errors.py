"""The awards domain's refusals, with stable codes for the API envelope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class AwardsError(ValidationError):
    """A refused awards operation. ``code`` is one of: ``weights_not_100``, ``scheme_frozen``,
    ``illegal_transition``, ``window_closed``, ``not_yours``, ``same_person``, ``invalid``,
    ``quota``, ``not_published``."""

    def __init__(self, message: Any, code: str = "invalid") -> None:
        if isinstance(message, dict):
            message = {field: ValidationError(text, code=code) for field, text in message.items()}
        super().__init__(message, code=code)
        self.code = code
