"""Tickets: a registration's signed token (``django.core.signing``, salted for this purpose), its
QR code as inline SVG for the pages, and as a PNG attached to the confirmation e-mail (drawn by
the outbox worker when the mail is sent, ``huifu.outbox.rendered``: not inside the registration's
transaction). A forged or altered token fails the signature check."""

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


TICKET_ATTACHMENT = "events.ticket"
TICKET_FILE_NAME = "入场二维码.png"


def ticket_png(registration: Registration) -> bytes:
    """The QR code of the token as a PNG (large modules: a desk scanner reads it off a phone)."""
    image = qrcode.make(ticket_token(registration), box_size=8, border=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ticket_png_attachment(argument: str) -> tuple[str, bytes, str]:
    """The outbox renderer of ``TICKET_ATTACHMENT``: the argument is the registration id."""
    registration = Registration.objects.filter(pk=int(argument)).first() if argument.isdigit() else None
    if registration is None:
        raise LookupError(f"registration {argument} does not exist")
    return TICKET_FILE_NAME, ticket_png(registration), "image/png"
