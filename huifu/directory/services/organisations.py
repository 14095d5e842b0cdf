"""Writes on organisations and their contacts. One call = one transaction = one audit entry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition, audit_update, snapshot
from huifu.core.permissions import require

from ..models import Contact, ContactRole, Organisation, OrganisationKind, OrganisationStatus
from ..permissions import (
    ORGANISATION_CONTACT_FIELDS,
    ORGANISATION_REGISTRATION_FIELDS,
    organisation_editable_fields,
)
from ..regions import Region
from ..validators import normalise_uscc, validate_member_number, validate_uscc

ORGANISATION_FIELDS = ORGANISATION_REGISTRATION_FIELDS + ORGANISATION_CONTACT_FIELDS
CONTACT_FIELDS = ("name", "role", "title", "phone", "email", "is_primary")

_MAX_LENGTHS = {f.name: f.max_length for f in Organisation._meta.concrete_fields if getattr(f, "max_length", None)}
_CONTACT_MAX_LENGTHS = {f.name: f.max_length for f in Contact._meta.concrete_fields if getattr(f, "max_length", None)}


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def organisation_clean(
    *, values: Mapping[str, Any], instance: Organisation | None = None, check_database: bool = True
) -> dict[str, Any]:
    """Normalise and check organisation fields; raise one ValidationError naming every bad field.

    ``values`` may be partial (an update); kind-dependent rules are checked against the merged
    record. Returns the normalised values for the keys given (``status`` is accepted too, for imports).
    ``check_database=False`` skips the uniqueness queries (the importer checks those in bulk).
    """
    unknown = set(values) - set(ORGANISATION_FIELDS) - {"status"}
    if unknown:
        raise ValidationError({k: [_("This field cannot be set here.")] for k in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for name, raw in values.items():
        if name in ("member_number", "uscc"):
            text = normalise_uscc(raw) if name == "uscc" else _text(raw)
            data[name] = text or None
        else:
            data[name] = _text(raw)
    current = {name: getattr(instance, name) for name in ORGANISATION_FIELDS} if instance else {}
    merged = {**dict.fromkeys(ORGANISATION_FIELDS, ""), "member_number": None, "uscc": None, **current, **data}

    for name, value in data.items():
        limit = _MAX_LENGTHS.get(name)
        if limit and value and len(value) > limit:
            _add(errors, name, _("At most %(n)d characters.") % {"n": limit})
    if merged["kind"] not in OrganisationKind.values:
        _add(errors, "kind", _("Choose a valid kind of organisation."))
    if not merged["name_zh"]:
        _add(errors, "name_zh", _("The Chinese name is required."))
    if merged["region"] and merged["region"] not in Region.values:
        _add(errors, "region", _("Choose a valid region."))
    if "status" in data and data["status"] not in OrganisationStatus.values:
        _add(errors, "status", _("Choose a valid status."))
    if merged["email"]:
        try:
            validate_email(merged["email"])
        except ValidationError:
            _add(errors, "email", _("Enter a valid e-mail address."))

    kind = merged["kind"]
    number = merged["member_number"]
    if kind == OrganisationKind.FUTURES_COMPANY and not number:
        _add(errors, "member_number", _("A futures company member needs a member number."))
    if number:
        if kind not in OrganisationKind.member_kinds():
            _add(errors, "member_number", _("Only member companies have a member number."))
        else:
            try:
                validate_member_number(number)
            except ValidationError as exc:
                _add(errors, "member_number", exc.messages[0])
    if kind == OrganisationKind.CSRC_BUREAU and not merged["region"]:
        _add(errors, "region", _("A CSRC bureau needs a region."))
    if merged["uscc"]:
        try:
            validate_uscc(merged["uscc"])
        except ValidationError as exc:
            _add(errors, "uscc", exc.messages[0])

    if check_database:
        _check_unique(errors, data, merged, instance)
    if errors:
        raise ValidationError(errors)
    return data


def _check_unique(
    errors: dict[str, list[str]], data: dict[str, Any], merged: dict[str, Any], instance: Organisation | None
) -> None:
    number = merged["member_number"]
    others = Organisation.objects.exclude(pk=instance.pk) if instance else Organisation.objects.all()
    if "name_zh" in data and data["name_zh"] and others.filter(name_zh=data["name_zh"]).exists():
        _add(errors, "name_zh", _("Another organisation already has this Chinese name."))
    number_taken = "member_number" in data and number and "member_number" not in errors
    if number_taken and others.filter(member_number=number).exists():
        _add(errors, "member_number", _("Member number %(n)s is already used by another organisation.") % {"n": number})
    if "uscc" in data and merged["uscc"] and "uscc" not in errors and others.filter(uscc=merged["uscc"]).exists():
        _add(errors, "uscc", _("This unified social credit code is already used by another organisation."))


def _save(instance: Any, **kwargs: Any) -> None:
    """Save, turning a unique-constraint race into a clean validation error."""
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError:
        raise ValidationError(_("Another record with the same identifying data was saved at the same time; try again."))


def organisation_create(
    *,
    actor: Any,
    kind: str,
    name_zh: str,
    name_en: str = "",
    short_name: str = "",
    member_number: str | None = None,
    uscc: str | None = None,
    region: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
) -> Organisation:
    """Register an organisation (Member Management only). Raises ValidationError naming bad fields."""
    require(actor, "directory.add_organisation")
    values = {
        "kind": kind, "name_zh": name_zh, "name_en": name_en, "short_name": short_name,
        "member_number": member_number, "uscc": uscc, "region": region, "email": email,
        "phone": phone, "address": address,
    }  # fmt: skip
    with transaction.atomic():
        data = organisation_clean(values=values)
        organisation = Organisation(**data)
        _save(organisation)
        audit_create(actor=actor, target=organisation)
    return organisation


def organisation_update(*, actor: Any, organisation: Organisation, data: Mapping[str, Any]) -> Organisation:
    """Change fields of an organisation. Org admins may only change the contact fields
    (e-mail, phone, address); anything else they send is refused with PermissionDenied."""
    allowed = organisation_editable_fields(actor, organisation)
    if not allowed:
        raise PermissionDenied(_("You may not change this organisation."))
    forbidden = [f for f in data if f not in allowed]
    if forbidden:
        raise PermissionDenied(_("You may not change: %(fields)s.") % {"fields": ", ".join(sorted(forbidden))})
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        cleaned = organisation_clean(values=data, instance=organisation)
        before = snapshot(organisation, ORGANISATION_FIELDS)
        for name, value in cleaned.items():
            setattr(organisation, name, value)
        _save(organisation)
        audit_update(actor=actor, target=organisation, before=before)
    return organisation


def _organisation_transition(
    *, actor: Any, organisation: Organisation, source: str, target: str, reason: str
) -> Organisation:
    require(actor, "directory.suspend_organisation", organisation)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.status != source:
            raise ValidationError(
                _("The organisation is %(status)s; this cannot be done now.")
                % {"status": organisation.get_status_display()}
            )
        organisation.status = target
        organisation.save(update_fields=["status", "updated_at"])
        audit_transition(actor=actor, target=organisation, source=source, target_state=target, message=reason)
    return organisation


def organisation_suspend(*, actor: Any, organisation: Organisation, reason: str = "") -> Organisation:
    """Suspend an active organisation. Its records stay; refuses one already suspended."""
    return _organisation_transition(
        actor=actor,
        organisation=organisation,
        source=OrganisationStatus.ACTIVE,
        target=OrganisationStatus.SUSPENDED,
        reason=reason,
    )


def organisation_reactivate(*, actor: Any, organisation: Organisation, reason: str = "") -> Organisation:
    return _organisation_transition(
        actor=actor,
        organisation=organisation,
        source=OrganisationStatus.SUSPENDED,
        target=OrganisationStatus.ACTIVE,
        reason=reason,
    )


# --- contacts --------------------------------------------------------------------------------


_TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "✓"}
_FALSE_WORDS = {"", "0", "false", "no", "n", "否"}


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    return None


def contact_clean(
    *,
    organisation: Organisation | None,
    values: Mapping[str, Any],
    instance: Contact | None = None,
    check_database: bool = True,
) -> dict[str, Any]:
    """Normalise and check contact fields (partial for updates); raise one ValidationError."""
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({k: [_("This field cannot be set here.")] for k in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for name, raw in values.items():
        if name == "is_primary":
            flag = parse_bool(raw)
            if flag is None:
                _add(errors, name, _("Write yes or no (是/否)."))
            data[name] = bool(flag)
        elif name == "email":
            data[name] = _text(raw).lower()
        else:
            data[name] = _text(raw)
    for name, value in data.items():
        limit = _CONTACT_MAX_LENGTHS.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            _add(errors, name, _("At most %(n)d characters.") % {"n": limit})
    if ("name" in data or instance is None) and not data.get("name", instance.name if instance else ""):
        _add(errors, "name", _("The name is required."))
    if "role" in data and data["role"] not in ContactRole.values:
        _add(errors, "role", _("Choose a valid role."))
    email = data.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", _("Enter a valid e-mail address."))
        else:
            if check_database and organisation is not None:
                others = organisation.contacts.exclude(pk=instance.pk) if instance else organisation.contacts.all()
                if others.filter(email=email).exists():
                    _add(errors, "email", _("This organisation already has a contact with this e-mail."))
    if errors:
        raise ValidationError(errors)
    return data


def _clear_other_primary(organisation: Organisation, keep: Contact | None) -> None:
    qs = Contact.objects.filter(organisation=organisation, is_primary=True)
    if keep is not None and keep.pk:
        qs = qs.exclude(pk=keep.pk)
    qs.update(is_primary=False)


def contact_create(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    role: str = ContactRole.LIAISON,
    title: str = "",
    phone: str = "",
    email: str = "",
    is_primary: bool = False,
) -> Contact:
    """Add a contact person. Making them primary takes the flag from the previous primary contact."""
    require(actor, "directory.add_contact", organisation)
    values = {"name": name, "role": role, "title": title, "phone": phone, "email": email, "is_primary": is_primary}
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # serialise primary changes
        data = contact_clean(organisation=organisation, values=values)
        if data["is_primary"]:
            _clear_other_primary(organisation, None)
        contact = Contact(organisation=organisation, **data)
        _save(contact)
        audit_create(actor=actor, target=contact)
    return contact


def contact_update(*, actor: Any, contact: Contact, data: Mapping[str, Any]) -> Contact:
    require(actor, "directory.change_contact", contact)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=contact.organisation_id).first()
        contact = Contact.objects.select_related("organisation").get(pk=contact.pk)
        cleaned = contact_clean(organisation=contact.organisation, values=data, instance=contact)
        before = snapshot(contact, CONTACT_FIELDS)
        if cleaned.get("is_primary"):
            _clear_other_primary(contact.organisation, contact)
        for name, value in cleaned.items():
            setattr(contact, name, value)
        _save(contact)
        audit_update(actor=actor, target=contact, before=before)
    return contact


def contact_delete(*, actor: Any, contact: Contact) -> None:
    """Remove a contact person (their login, if any, is untouched). The history keeps their data."""
    require(actor, "directory.delete_contact", contact)
    with transaction.atomic():
        data = snapshot(contact, ("organisation_id", *CONTACT_FIELDS))
        audit_record(actor=actor, action=AuditAction.DELETE, target=contact, changes=data)
        contact.delete()
