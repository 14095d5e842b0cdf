"""Speaker pool writes (嘉宾库), kept by the event managers (``events.manage_speakers``).

* ``speaker_create`` / ``speaker_update``: an industry expert (organisation as typed), a member
  analyst (linked to their member company in the directory, and optionally to a user account of
  that company) or an in-house lecturer (optionally a staff account). One account, one speaker.
  Bad input raises ``ValidationError`` keyed by the field, all fields at once.

Invitations of pool speakers to sessions: ``speaker_invitations``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from huifu.accounts.models import User, UserKind
from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, diff, snapshot
from huifu.core.permissions import require
from huifu.directory.models import Organisation, OrganisationKind
from huifu.products.models import Product

from ..models import Speaker, SpeakerKind

SPEAKER_FIELDS = (
    "name",
    "kind",
    "title",
    "organisation_name",
    "organisation",
    "user",
    "contact_email",
    "bio",
    "topics",
)
_SNAPSHOT = tuple(f"{name}_id" if name in ("organisation", "user") else name for name in SPEAKER_FIELDS)


def _text(value: Any, field: str, errors: dict[str, list[str]], *, required: bool = False, max_length: int) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(text) > max_length:
        errors.setdefault(field, []).append(_("At most %(n)d characters.") % {"n": max_length})
    return text


# --- the pool ------------------------------------------------------------------------------------


def _clean_speaker(data: dict[str, Any], exclude: int | None = None) -> dict[str, Any]:
    """Validate a speaker's fields; every error keyed by its field, all at once."""
    errors: dict[str, list[str]] = {}
    clean = {
        "name": _text(data.get("name"), "name", errors, required=True, max_length=100),
        "title": _text(data.get("title"), "title", errors, max_length=200),
        "organisation_name": _text(data.get("organisation_name"), "organisation_name", errors, max_length=200),
        "topics": _text(data.get("topics"), "topics", errors, max_length=300),
        "bio": _text(data.get("bio"), "bio", errors, max_length=2000),
        "contact_email": _text(data.get("contact_email"), "contact_email", errors, max_length=254),
    }
    kind = data.get("kind") or SpeakerKind.EXPERT
    if kind not in SpeakerKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of speaker."))
    clean["kind"] = kind
    if clean["contact_email"]:
        try:
            validate_email(clean["contact_email"])
        except ValidationError:
            errors.setdefault("contact_email", []).append(_("Enter a valid e-mail address."))
    organisation: Organisation | None = data.get("organisation")
    if kind == SpeakerKind.MEMBER_ANALYST:
        if organisation is None:
            errors.setdefault("organisation", []).append(_("A member analyst is linked to their member company."))
        elif organisation.kind not in OrganisationKind.member_kinds():
            errors.setdefault("organisation", []).append(_("Choose a member company."))
    elif organisation is not None:
        errors.setdefault("organisation", []).append(_("Only a member analyst is linked to a member company."))
    clean["organisation"] = organisation
    user: User | None = data.get("user")
    if user is not None:
        if not user.is_active:
            errors.setdefault("user", []).append(_("This account is not active."))
        elif (
            kind == SpeakerKind.MEMBER_ANALYST and organisation is not None and user.organisation_id != organisation.pk
        ):
            errors.setdefault("user", []).append(_("The account must belong to the analyst's member company."))
        elif kind == SpeakerKind.LECTURER and user.kind != UserKind.STAFF:
            errors.setdefault("user", []).append(_("An in-house lecturer's account is a staff account."))
        elif Speaker.objects.filter(user=user).exclude(pk=exclude).exists():
            errors.setdefault("user", []).append(_("This account is already linked to another speaker."))
    clean["user"] = user
    if errors:
        raise ValidationError(errors)
    return clean


def _products_snapshot(speaker: Speaker) -> list[int]:
    return sorted(speaker.products.values_list("pk", flat=True))


@transaction.atomic
def speaker_create(
    *,
    actor: Any,
    name: str,
    title: str = "",
    organisation_name: str = "",
    kind: str = SpeakerKind.EXPERT,
    organisation: Organisation | None = None,
    user: User | None = None,
    contact_email: str = "",
    bio: str = "",
    topics: str = "",
    products: Iterable[Product] | None = None,
) -> Speaker:
    """Add a speaker to the pool (expert by default, as before the pool had kinds)."""
    require(actor, "events.manage_speakers")
    clean = _clean_speaker(
        {
            "name": name,
            "title": title,
            "organisation_name": organisation_name,
            "kind": kind,
            "organisation": organisation,
            "user": user,
            "contact_email": contact_email,
            "bio": bio,
            "topics": topics,
        }
    )
    speaker = Speaker.objects.create(**clean)
    speaker.products.set(list(products or []))
    audit_create(actor=actor, target=speaker)
    return speaker


@transaction.atomic
def speaker_update(
    *, actor: Any, speaker: Speaker, products: Iterable[Product] | None = None, **fields: Any
) -> Speaker:
    """Change a speaker's profile; ``fields`` are those of ``SPEAKER_FIELDS`` (the others keep
    their value); ``products=None`` leaves the products unchanged."""
    require(actor, "events.manage_speakers", speaker)
    unknown = set(fields) - set(SPEAKER_FIELDS)
    if unknown:
        raise TypeError(f"speaker_update: unknown fields {sorted(unknown)}")
    speaker = Speaker.objects.select_for_update().get(pk=speaker.pk)
    current = {name: getattr(speaker, name) for name in SPEAKER_FIELDS}
    clean = _clean_speaker({**current, **fields}, exclude=speaker.pk)
    before = {**snapshot(speaker, _SNAPSHOT), "products": _products_snapshot(speaker)}
    for name, value in clean.items():
        setattr(speaker, name, value)
    speaker.save()
    if products is not None:
        speaker.products.set(list(products))
    changes = diff(before, {**snapshot(speaker, _SNAPSHOT), "products": _products_snapshot(speaker)})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=speaker, changes=changes)
    return speaker
