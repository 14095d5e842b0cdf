"""Enterprise profiles and their contact log. One call = one transaction = one audit entry
(registering a new enterprise adds the directory's own entry for the organisation)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_update, snapshot
from huifu.core.permissions import require
from huifu.directory.models import Organisation, OrganisationKind
from huifu.directory.regions import Region

from ..models import ContactChannel, ContactLogEntry, EnterpriseProfile, EnterpriseSituation
from .common import text

PROFILE_FIELDS = ("industry", "products_of_interest", "situation", "obstacle_description", "is_key_enterprise", "notes")


def _clean_products(values: Iterable[str] | str | None) -> list[str]:
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").split(",")
    return list(dict.fromkeys(text(v) for v in (values or []) if text(v)))[:30]


def _clean_profile(profile: EnterpriseProfile) -> None:
    errors: dict[str, str] = {}
    profile.industry = text(profile.industry)
    profile.obstacle_description = text(profile.obstacle_description)
    profile.notes = text(profile.notes)
    profile.products_of_interest = _clean_products(profile.products_of_interest)
    if not profile.industry:
        errors["industry"] = _("Enter the enterprise's industry.")
    if profile.situation not in EnterpriseSituation.values:
        errors["situation"] = _("Choose the enterprise's situation from the list.")
    elif profile.situation == EnterpriseSituation.OBSTACLE and not profile.obstacle_description:
        errors["obstacle_description"] = _("Describe what keeps the enterprise from entering the market.")
    if errors:
        raise ValidationError(errors)


def profile_create(
    *,
    actor: Any | None,
    industry: str,
    situation: str,
    member: Organisation | None = None,
    enterprise: Organisation | None = None,
    pending_name: str = "",
    pending_region: str = "",
    pending_uscc: str = "",
    products_of_interest: Iterable[str] | str = (),
    obstacle_description: str = "",
    is_key_enterprise: bool = False,
    notes: str = "",
) -> EnterpriseProfile:
    """A member's profile of an enterprise: either a directory enterprise (``enterprise``) or a
    new one (``pending_name`` + ``pending_region``) that Member Management registers later."""
    require(actor, "deepening.add_profile")
    if member is None:
        member = getattr(actor, "organisation", None)
    if member is None or member.kind != OrganisationKind.FUTURES_COMPANY:
        raise ValidationError({"member": _("Profiles are kept by a futures company member.")})
    errors: dict[str, str] = {}
    pending_name, pending_uscc = text(pending_name), text(pending_uscc).upper()
    if enterprise is not None:
        if enterprise.kind != OrganisationKind.ENTERPRISE:
            errors["enterprise"] = _("Choose an enterprise from the directory.")
        pending_name, pending_region, pending_uscc = "", "", ""
    else:
        if not pending_name:
            errors["pending_name"] = _("Choose an enterprise from the directory or enter the name of a new one.")
        elif Organisation.objects.filter(name_zh=pending_name).exists():
            errors["pending_name"] = _("“%(name)s” is already in the directory: choose it from the list.") % {
                "name": pending_name
            }
        if pending_region not in Region.values:
            errors["pending_region"] = _("Choose the region where the enterprise is registered.")
    if errors:
        raise ValidationError(errors)
    profile = EnterpriseProfile(
        member=member,
        enterprise=enterprise,
        pending_name=pending_name,
        pending_region=pending_region or "",
        pending_uscc=pending_uscc,
        industry=industry,
        situation=situation,
        products_of_interest=products_of_interest,
        obstacle_description=obstacle_description,
        is_key_enterprise=bool(is_key_enterprise),
        notes=notes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _clean_profile(profile)
    with transaction.atomic():
        if enterprise is not None and EnterpriseProfile.objects.filter(member=member, enterprise=enterprise).exists():
            raise ValidationError({"enterprise": _("You already have a profile of this enterprise.")})
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError:
            raise ValidationError({"enterprise": _("You already have a profile of this enterprise.")})
        audit_create(actor=actor, target=profile)
    return profile


def profile_update(*, actor: Any | None, profile: EnterpriseProfile, **fields: Any) -> EnterpriseProfile:
    """Change the profile (situation, products, ...). The contact log is never changed here."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        profile = EnterpriseProfile.objects.select_for_update().get(pk=profile.pk)
        require(actor, "deepening.change_profile", profile)
        before = snapshot(profile, PROFILE_FIELDS)
        for name, value in fields.items():
            setattr(profile, name, value)
        _clean_profile(profile)
        profile.save()
        audit_update(actor=actor, target=profile, before=before)
    return profile


def profile_register_enterprise(*, actor: Any, profile: EnterpriseProfile, uscc: str = "") -> EnterpriseProfile:
    """Member Management registers a profile's new enterprise in the directory (through the
    directory's own service, which checks the name, region and credit code) and links it."""
    from huifu.directory.services import organisation_create

    require(actor, "deepening.register_enterprise", profile)
    with transaction.atomic():
        profile = EnterpriseProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.enterprise_id is not None:
            raise ValidationError(_("This enterprise is already in the directory."))
        existing = Organisation.objects.filter(name_zh=profile.pending_name, kind=OrganisationKind.ENTERPRISE).first()
        organisation = existing or organisation_create(
            actor=actor,
            kind=OrganisationKind.ENTERPRISE,
            name_zh=profile.pending_name,
            region=profile.pending_region,
            uscc=text(uscc or profile.pending_uscc) or None,
        )
        if EnterpriseProfile.objects.filter(member_id=profile.member_id, enterprise=organisation).exists():
            raise ValidationError(_("This member already has a profile of “%(name)s”.") % {"name": organisation})
        before = snapshot(profile, ["enterprise_id", "pending_name", "pending_region"])
        profile.enterprise = organisation
        profile.pending_name, profile.pending_region, profile.pending_uscc = "", "", ""
        profile.save()
        audit_update(actor=actor, target=profile, before=before, message="enterprise registered")
    return profile


def contact_log_add(
    *,
    actor: Any | None,
    profile: EnterpriseProfile,
    contact_date: datetime.date,
    channel: str,
    participants: str,
    summary: str,
    next_step: str = "",
) -> ContactLogEntry:
    """Append a contact to the profile's log. Entries are never edited or deleted."""
    require(actor, "deepening.add_contact_log", profile)
    errors: dict[str, str] = {}
    if not isinstance(contact_date, datetime.date):
        errors["contact_date"] = _("Enter the date of the contact.")
    elif contact_date > timezone.localdate():
        errors["contact_date"] = _("The date of the contact cannot be in the future.")
    if channel not in ContactChannel.values:
        errors["channel"] = _("Choose how the contact took place.")
    if not text(participants):
        errors["participants"] = _("Say who took part.")
    if not text(summary):
        errors["summary"] = _("Summarise the contact.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = ContactLogEntry.objects.create(
            profile=profile,
            contact_date=contact_date,
            channel=channel,
            participants=text(participants)[:200],
            summary=text(summary),
            next_step=text(next_step),
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=profile,
            changes={"contact_log": [None, f"{contact_date} {entry.get_channel_display()}"]},
            message="contact logged",
        )
    return entry
