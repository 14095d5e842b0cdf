"""Attachments made when the mail is sent, not when it is queued.

Some attachments are cheap to describe and costly to make: the QR code of a registration's ticket
(13 ms of PNG encoding) would otherwise be drawn inside the registration's transaction, while the
session row is locked against the rest of a flash crowd. A mail may therefore carry
``Rendered("events.ticket", "123")`` among its attachments: the outbox stores the reference
(``"render:events.ticket:123"`` in ``attachment_ids``) and the worker calls the app's renderer
when it builds the e-mail. A renderer takes the argument it was given by the service that queued
the mail (never user input) and returns (file name, content, MIME type); it raises LookupError
when its record is gone, which fails that delivery attempt like a missing stored file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PREFIX = "render:"

Renderer = Callable[[str], tuple[str, bytes, str]]
_RENDERERS: dict[str, Renderer] = {}


@dataclass(frozen=True)
class Rendered:
    kind: str
    argument: str

    @property
    def reference(self) -> str:
        return f"{PREFIX}{self.kind}:{self.argument}"


def register(kind: str, renderer: Renderer) -> None:
    """Register the renderer of ``kind`` (from the app's ``ready()``)."""
    if ":" in kind:
        raise ValueError("a renderer kind has no colon")
    _RENDERERS[kind] = renderer


def is_reference(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def render(reference: str) -> tuple[str, bytes, str]:
    kind, _, argument = reference[len(PREFIX) :].partition(":")
    renderer = _RENDERERS.get(kind)
    if renderer is None:
        raise LookupError(f"no renderer for attachment {reference}")
    return renderer(argument)
