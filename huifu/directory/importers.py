"""Excel import of organisations and contacts: validate every row first, then all or nothing.

Checks per row: required cells, choice labels, field formats (USCC check character, member
number, e-mail), kind-dependent rules, duplicate keys within the file and against the database,
unknown organisations for contacts. If any row is bad nothing is written and the caller gets a
per-row error report (row number, column, message). Otherwise every row is created or updated in
one transaction: organisations are matched by member number, else USCC, else Chinese name;
contacts by (organisation, e-mail), else (organisation, name). Each created or changed record gets
its own audit entry, and the import one IMPORT entry with the counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_update, snapshot
from huifu.core.permissions import require

from .models import Contact, ContactRole, Organisation
from .services.organisations import CONTACT_FIELDS, ORGANISATION_FIELDS, contact_clean, organisation_clean
from .xlsx import CONTACT_COLUMNS, ORGANISATION_COLUMNS, Column, SheetRow, choice_lookup, read_sheet


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number; 0 for a problem with the whole file
    column: str
    message: str

    def as_list(self) -> list[Any]:
        return [self.row or "", self.column, self.message]


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header(columns: Sequence[Column], name: str) -> str:
    for column in columns:
        if column.field == name:
            return column.header
    return name


def _validation_errors(exc: ValidationError, row: int, columns: Sequence[Column]) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [RowError(row, _header(columns, name), str(m)) for name, msgs in exc.message_dict.items() for m in msgs]
    return [RowError(row, "", str(m)) for m in exc.messages]


def _parse_choices(
    row: SheetRow, columns: Sequence[Column], lookups: dict[str, dict[str, str]], errors: list[RowError]
) -> dict[str, str]:
    """The row's values with choice labels turned into codes; a required cell left empty or an
    unknown label is reported, and an unknown label is dropped so the rest of the row is still checked."""
    values = dict(row.values)
    for column in columns:
        if column.required and not values.get(column.field):
            errors.append(RowError(row.number, column.header, _("This cell is required.")))
        if column.choices is not None and values.get(column.field):
            found = lookups[column.field].get(values[column.field].lower())
            if found is None:
                message = _("Unknown value “%(value)s”.") % {"value": values.pop(column.field)}
                errors.append(RowError(row.number, column.header, message))
            else:
                values[column.field] = found
    return values


def _merge(errors: list[RowError], more: list[RowError]) -> None:
    """Add ``more`` except for cells that already have a problem reported."""
    reported = {(e.row, e.column) for e in errors}
    errors.extend(e for e in more if (e.row, e.column) not in reported)


def _require(actor: Any) -> None:
    require(actor, "directory.import_directory", message=_("Only Member Management imports the directory."))


# --- organisations -----------------------------------------------------------------------------


@dataclass
class _OrgPlan:
    row: int
    instance: Organisation | None
    data: dict[str, Any]


def import_organisations(*, actor: Any, source: IO[bytes], file_name: str = "") -> ImportResult:
    """Import organisations from an .xlsx file. Raises ImportFileError for an unreadable file;
    otherwise returns the result, with ``errors`` filled and nothing saved if any row is bad."""
    _require(actor)
    rows = read_sheet(source, ORGANISATION_COLUMNS)
    result = ImportResult(rows=len(rows))
    lookups = {c.field: choice_lookup(c.choices) for c in ORGANISATION_COLUMNS if c.choices}
    existing = list(Organisation.objects.all())
    by_number = {o.member_number: o for o in existing if o.member_number}
    by_uscc = {o.uscc: o for o in existing if o.uscc}
    by_name = {o.name_zh: o for o in existing}
    seen: dict[str, dict[str, int]] = {"member_number": {}, "uscc": {}, "name_zh": {}}
    seen_instance: dict[int, int] = {}
    plans: list[_OrgPlan] = []
    for row in rows:
        row_errors: list[RowError] = []
        values = _parse_choices(row, ORGANISATION_COLUMNS, lookups, row_errors)
        values = {k: v for k, v in values.items() if k in ORGANISATION_FIELDS or k == "status"}
        if not values.get("status"):
            values.pop("status", None)
        number = values.get("member_number") or None
        uscc = (values.get("uscc") or "").upper() or None
        instance = (
            (by_number.get(number) if number else None)
            or (by_uscc.get(uscc) if uscc else None)
            or by_name.get(values.get("name_zh", ""))
        )
        try:
            data = organisation_clean(values=values, instance=instance, check_database=False)
        except ValidationError as exc:
            _merge(row_errors, _validation_errors(exc, row.number, ORGANISATION_COLUMNS))
        if row_errors:
            result.errors.extend(row_errors)
            continue
        for key, index in (("member_number", by_number), ("uscc", by_uscc), ("name_zh", by_name)):
            value = data.get(key)
            if not value:
                continue
            first = seen[key].setdefault(value, row.number)
            if first != row.number:
                result.errors.append(
                    RowError(
                        row.number,
                        _header(ORGANISATION_COLUMNS, key),
                        _("“%(value)s” repeats row %(row)d.") % {"value": value, "row": first},
                    )
                )
            owner = index.get(value)
            if owner is not None and owner is not instance:
                result.errors.append(
                    RowError(
                        row.number,
                        _header(ORGANISATION_COLUMNS, key),
                        _("“%(value)s” already belongs to %(org)s.") % {"value": value, "org": owner.name_zh},
                    )
                )
        if instance is not None:
            first = seen_instance.setdefault(instance.pk, row.number)
            if first != row.number:
                result.errors.append(
                    RowError(
                        row.number,
                        "",
                        _("This row and row %(row)d both match %(org)s.") % {"row": first, "org": instance.name_zh},
                    )
                )
        plans.append(_OrgPlan(row.number, instance, data))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    with transaction.atomic():
        for plan in plans:
            if plan.instance is None:
                org = Organisation(**plan.data)
                org.save()
                audit_create(actor=actor, target=org, message=_("Excel import"))
                result.created += 1
                continue
            org = plan.instance
            before = snapshot(org, (*ORGANISATION_FIELDS, "status"))
            for name, value in plan.data.items():
                setattr(org, name, value)
            if audit_update(actor=actor, target=org, before=before, message=_("Excel import")) is None:
                result.unchanged += 1
            else:
                org.save()
                result.updated += 1
        _audit_import(actor, "organisations", file_name, result)
    return result


def _audit_import(actor: Any, what: str, file_name: str, result: ImportResult) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        target_label=_("directory %(what)s import") % {"what": what},
        changes={
            "file": file_name,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
        message=_("%(created)d created, %(updated)d updated, %(unchanged)d unchanged")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )


# --- contacts ----------------------------------------------------------------------------------


@dataclass
class _ContactPlan:
    row: int
    organisation: Organisation
    instance: Contact | None
    data: dict[str, Any]


def import_contacts(*, actor: Any, source: IO[bytes], file_name: str = "") -> ImportResult:
    """Import contacts from an .xlsx file; same all-or-nothing contract as ``import_organisations``."""
    _require(actor)
    rows = read_sheet(source, CONTACT_COLUMNS)
    result = ImportResult(rows=len(rows))
    lookups = {c.field: choice_lookup(c.choices) for c in CONTACT_COLUMNS if c.choices}
    orgs = list(Organisation.objects.all())
    org_by_number = {o.member_number: o for o in orgs if o.member_number}
    org_by_name = {o.name_zh: o for o in orgs}
    needed: set[int] = set()
    parsed: list[tuple[SheetRow, Organisation, dict[str, Any]]] = []
    for row in rows:
        row_errors: list[RowError] = []
        values = _parse_choices(row, CONTACT_COLUMNS, lookups, row_errors)
        ref = values.pop("organisation", "")
        organisation = org_by_number.get(ref) or org_by_name.get(ref)
        if ref and organisation is None:
            row_errors.append(
                RowError(
                    row.number,
                    CONTACT_COLUMNS[0].header,
                    _("No organisation has the name or member number “%(ref)s”.") % {"ref": ref},
                )
            )
        if not values.get("role"):
            values["role"] = ContactRole.LIAISON
        values.setdefault("is_primary", "")
        try:
            data = contact_clean(organisation=organisation, values=values, check_database=False)
        except ValidationError as exc:
            _merge(row_errors, _validation_errors(exc, row.number, CONTACT_COLUMNS))
        if row_errors or organisation is None:
            result.errors.extend(row_errors)
            continue
        parsed.append((row, organisation, data))
        needed.add(organisation.pk)

    existing = list(Contact.objects.filter(organisation_id__in=needed))
    by_email = {(c.organisation_id, c.email): c for c in existing if c.email}
    by_name = {}
    for c in existing:
        by_name.setdefault((c.organisation_id, c.name), c)
    seen: dict[tuple[int, str, str], int] = {}
    primary_row: dict[int, int] = {}
    plans: list[_ContactPlan] = []
    for row, organisation, data in parsed:
        key = (organisation.pk, "email", data["email"]) if data["email"] else (organisation.pk, "name", data["name"])
        column = _header(CONTACT_COLUMNS, "email" if data["email"] else "name")
        first = seen.setdefault(key, row.number)
        if first != row.number:
            result.errors.append(RowError(row.number, column, _("This contact repeats row %(row)d.") % {"row": first}))
        if data["is_primary"]:
            other = primary_row.setdefault(organisation.pk, row.number)
            if other != row.number:
                result.errors.append(
                    RowError(
                        row.number,
                        _header(CONTACT_COLUMNS, "is_primary"),
                        _("Row %(row)d already names this organisation's primary contact.") % {"row": other},
                    )
                )
        instance = by_email.get((organisation.pk, data["email"])) if data["email"] else None
        if instance is None and not data["email"]:
            instance = by_name.get((organisation.pk, data["name"]))
        plans.append(_ContactPlan(row.number, organisation, instance, data))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    with transaction.atomic():
        # One primary per organisation: the file's choice takes the flag from anyone else.
        for org_pk in primary_row:
            keep = {p.instance.pk for p in plans if p.organisation.pk == org_pk and p.instance and p.data["is_primary"]}
            Contact.objects.filter(organisation_id=org_pk, is_primary=True).exclude(pk__in=keep).update(
                is_primary=False
            )
        for plan in plans:
            if plan.instance is None:
                contact = Contact(organisation=plan.organisation, **plan.data)
                contact.save()
                audit_create(actor=actor, target=contact, message=_("Excel import"))
                result.created += 1
                continue
            contact = plan.instance
            before = snapshot(contact, CONTACT_FIELDS)
            for name, value in plan.data.items():
                setattr(contact, name, value)
            if audit_update(actor=actor, target=contact, before=before, message=_("Excel import")) is None:
                result.unchanged += 1
            else:
                contact.save()
                result.updated += 1
        _audit_import(actor, "contacts", file_name, result)
    return result
