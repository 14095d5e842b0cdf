"""Tickets: a registration's signed token (``django.core.signing``, salted for this purpose) and
its QR code as inline SVG. A forged or altered token fails the signature check."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.core import signing

from .models import Registration

SALT = "huifu.events.ticket"


class TicketInvalid(Exception):
    """The token is not one we signed (forged, altered, or for another purpose)."""


def ticket_token(registration: Registration) -> str:
    return signing.Signer(salt=SALT).sign(f"R{registration.pk}")


def ticket_registration_id(token: str) -> int:
    try:
        value = signing.Signer(salt=SALT).unsign((token or "").strip())
    except signing.BadSignature as exc:
        raise TicketInvalid from exc
    if not value.startswith("R") or not value[1:].isdigit():
        raise TicketInvalid
    return int(value[1:])


def ticket_svg(registration: Registration) -> str:
    """The QR code of the token, as an SVG element to place inline in a page."""
    image = qrcode.make(ticket_token(registration), image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]
