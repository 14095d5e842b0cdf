"""Changing the exchange's identity: the staff page's edit (``identity_update``) and loading a
whole exchange profile (``exchange_profile_load``: names, contacts, logo, hotline, departments,
文号 prefixes and products), e.g. a second exchange configured by data alone.

Every change: ``publicsite.change_identity`` (Member Management, superusers), one transaction,
one audit entry; the cached identity (``huifu.core.identity``) is cleared by the save signals.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record, audit_update, snapshot
from huifu.core.permissions import require

from .apps import LOGO_PURPOSE
from .models import SiteIdentity

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
IDENTITY_FIELDS = (
    "name_zh",
    "name_en",
    "short_name_zh",
    "short_name_en",
    "subsidiary_name_zh",
    "subsidiary_name_en",
    "subsidiary_short_zh",
    "subsidiary_short_en",
    "platform_zh",
    "platform_en",
    "intro_zh",
    "intro_en",
    "address",
    "phone",
    "email",
    "service_mailbox",
    "website",
    "doc_prefix",
)


def _row() -> SiteIdentity:
    row = SiteIdentity.objects.select_for_update().first()
    return row or SiteIdentity(singleton=True)


def _store_logo(*, upload: Any, actor: Any) -> Any:
    from huifu.files.kinds import IMAGE_KINDS
    from huifu.files.services import file_store

    try:
        return file_store(
            upload=upload, actor=actor, organisation=None, purpose=LOGO_PURPOSE, allowed_kinds=IMAGE_KINDS
        )
    except ValidationError as exc:
        raise ValidationError({"logo": exc.messages}) from exc


def _validated(row: SiteIdentity) -> None:
    try:
        row.full_clean(exclude=["logo", "singleton"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def identity_update(
    *, actor: Any, data: Mapping[str, Any], logo: Any | None = None, remove_logo: bool = False
) -> SiteIdentity:
    """Change the identity's fields named in ``data`` (the others stay), store a new ``logo``
    (PNG or JPEG, through huifu.files) or remove it. Bad values: ValidationError by field,
    nothing saved."""
    require(actor, "publicsite.change_identity")
    row = _row()
    before = snapshot(row, [*IDENTITY_FIELDS, "logo"]) if row.pk else {}
    unknown = sorted(set(data) - set(IDENTITY_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: _("This field does not exist.")})
    for name, value in data.items():
        setattr(row, name, str(value or "").strip())
    _validated(row)
    if logo is not None:
        row.logo = _store_logo(upload=logo, actor=actor)
    elif remove_logo:
        row.logo = None
    row.save()
    if before:
        audit_update(actor=actor, target=row, before=before)
    else:
        audit_record(actor=actor, action=AuditAction.CREATE, target=row)
    return row


# --- Profiles -------------------------------------------------------------------------------


@dataclass
class ProfileReport:
    name: str
    departments: int = 0
    departments_deactivated: int = 0
    products: int = 0
    products_deactivated: int = 0
    hotline_settings: int = 0
    letter_prefixes: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(name)s: %(departments)d departments (%(dep_off)d deactivated), %(products)d products "
            "(%(prod_off)d deactivated), %(hotline)d hotline settings, %(prefixes)d document-number prefixes."
        ) % {
            "name": self.name,
            "departments": self.departments,
            "dep_off": self.departments_deactivated,
            "products": self.products,
            "prod_off": self.products_deactivated,
            "hotline": self.hotline_settings,
            "prefixes": self.letter_prefixes,
        }


def profile_read(name_or_path: str) -> tuple[dict[str, Any], Path]:
    """A profile by name (``huifu/publicsite/profiles/<name>.json``) or path: its data and the
    folder its logo is read from. A missing or malformed file: ValidationError saying which."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PROFILES_DIR / f"{name_or_path}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(_("No exchange profile at %(path)s.") % {"path": path})
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("%(path)s is not a valid JSON profile: %(error)s") % {"path": path, "error": exc})
    if not isinstance(data, dict) or not isinstance(data.get("identity"), dict):
        raise ValidationError(_("%(path)s has no “identity” section.") % {"path": path})
    return data, path.parent


def _error(section: str, index: int | str, problem: str) -> ValidationError:
    return ValidationError({section: f"{section}[{index}]: {problem}"})


def _date(section: str, index: int, value: Any) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _error(section, index, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value})


def _load_identity(*, actor: Any, data: Mapping[str, Any], base_dir: Path | None) -> SiteIdentity:
    values = {k: v for k, v in data.items() if k in IDENTITY_FIELDS}
    row = _row()
    for name in IDENTITY_FIELDS:
        setattr(row, name, str(values.get(name, "") or "").strip())
    _validated(row)
    logo_name = str(data.get("logo") or "")
    current = row.logo if row.logo_id else None
    row.logo = None
    if logo_name:
        path = (base_dir or PROFILES_DIR) / logo_name
        if not path.is_file():
            raise ValidationError({"logo": _("The logo file %(path)s does not exist.") % {"path": path}})
        if current is not None and current.sha256 == hashlib.sha256(path.read_bytes()).hexdigest():
            row.logo = current  # loaded again: the same file, not a second copy
        else:
            with path.open("rb") as handle:
                row.logo = _store_logo(upload=File(handle, name=path.name), actor=actor)
    row.save()
    return row


def _load_hotline(*, actor: Any, rows: list[Any], report: ProfileReport) -> None:
    from huifu.hotline.models import HotlineSetting
    from huifu.hotline.services import hotline_setting_record

    for index, item in enumerate(rows):
        if not isinstance(item, dict) or not item.get("number"):
            raise _error("hotline", index, _("give a number and its effective_from date."))
        day = _date("hotline", index, item.get("effective_from"))
        existing = HotlineSetting.objects.filter(effective_from=day).first()
        if existing is not None:
            existing.number = str(item["number"]).strip()
            existing.note = str(item.get("note") or "")[:200]
            existing.save(update_fields=["number", "note"])
        else:
            try:
                hotline_setting_record(
                    actor=actor, number=item["number"], effective_from=day, note=str(item.get("note") or "")
                )
            except ValidationError as exc:
                raise _error("hotline", index, " ".join(exc.messages))
        report.hotline_settings += 1
    keep = {_date("hotline", i, item.get("effective_from")) for i, item in enumerate(rows)}
    if rows:
        # The profile's hotline history replaces the previous exchange's.
        HotlineSetting.objects.exclude(effective_from__in=keep).delete()


def _load_departments(*, rows: list[Any], report: ProfileReport) -> None:
    from huifu.directory.models import Department, DepartmentKind

    kinds = {k.value for k in DepartmentKind}
    codes = []
    for index, item in enumerate(rows):
        if not isinstance(item, dict) or not item.get("code") or not item.get("name_zh"):
            raise _error("departments", index, _("give a code and a Chinese name."))
        if item.get("kind") not in kinds:
            raise _error("departments", index, _("unknown kind “%(kind)s”.") % {"kind": item.get("kind")})
        codes.append(item["code"])
    # The previous exchange's departments stay (records point to them), deactivated; names are
    # unique, so one whose name the profile gives to another code is marked with its code.
    names = {item["name_zh"] for item in rows}
    leaving = Department.objects.exclude(code__in=codes)
    report.departments_deactivated = leaving.filter(is_active=True).count()
    for department in leaving:
        if department.name_zh in names:
            department.name_zh = f"{department.name_zh}（{department.code}）"[:100]
        department.is_active = False
        department.save(update_fields=["name_zh", "is_active"])
    for index, item in enumerate(rows):
        Department.objects.update_or_create(
            code=item["code"],
            defaults={
                "kind": item["kind"],
                "name_zh": item["name_zh"],
                "name_en": item.get("name_en", ""),
                "sort_order": int(item.get("sort_order") or (index + 1) * 10),
                "is_active": True,
                "updated_at": timezone.now(),
            },
        )
        report.departments += 1


def _load_letters(*, data: Mapping[str, Any], year: int, report: ProfileReport) -> None:
    from huifu.directory.models import Department
    from huifu.servicedesk.models import ReplyLetterPrefix, ReplyLetterSetting

    default = str(data.get("default_prefix") or "").strip()
    setting, _created = ReplyLetterSetting.objects.get_or_create(year=year)
    if default:
        setting.doc_prefix = default
        setting.save(update_fields=["doc_prefix"])
    wanted = data.get("departments") or {}
    if not isinstance(wanted, dict):
        raise _error("letters", "departments", _("give a mapping of department code to prefix."))
    setting.prefixes.exclude(department__code__in=list(wanted)).delete()
    for code, prefix in wanted.items():
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise _error("letters", code, _("no department with this code."))
        ReplyLetterPrefix.objects.update_or_create(
            setting=setting, department=department, defaults={"doc_prefix": str(prefix).strip()}
        )
        report.letter_prefixes += 1


def _load_products(*, rows: list[Any], report: ProfileReport) -> None:
    from huifu.products.models import Exchange, FeeBasis, Product, ProductKind

    by_code: dict[str, Product] = {}
    futures_first = sorted(enumerate(rows), key=lambda pair: pair[1].get("kind") == "option")
    for index, item in futures_first:
        if not isinstance(item, dict) or not item.get("code") or not item.get("name_zh"):
            raise _error("products", index, _("give a code and a Chinese name."))
        kind = item.get("kind", ProductKind.FUTURES)
        venue = item.get("venue", Exchange.MAIN)
        basis = item.get("fee_basis", FeeBasis.PER_LOT)
        if kind not in ProductKind.values or venue not in Exchange.values or basis not in FeeBasis.values:
            raise _error("products", index, _("kind, venue or fee basis is not one Huifu knows."))
        try:
            fee = Decimal(str(item.get("fee", "0")))
            multiplier = Decimal(str(item.get("multiplier", "1")))
        except InvalidOperation:
            raise _error("products", index, _("fee and multiplier must be numbers."))
        underlying = None
        if kind == ProductKind.OPTION:
            underlying = by_code.get(item.get("underlying", ""))
            if underlying is None:
                raise _error("products", index, _("an option needs its underlying futures in the profile."))
        product, _created = Product.objects.update_or_create(
            code=item["code"],
            defaults={
                "name_zh": item["name_zh"],
                "name_en": item.get("name_en", ""),
                "exchange": venue,
                "kind": kind,
                "underlying": underlying,
                "listed_on": _date("products", index, item["listed_on"]) if item.get("listed_on") else None,
                "contract_multiplier": multiplier,
                "unit": item.get("unit", ""),
                "fee_basis": basis,
                "fee_per_lot": fee if basis == FeeBasis.PER_LOT else None,
                "fee_rate": fee if basis == FeeBasis.TURNOVER_RATE else None,
                "sort_order": (index + 1) * 10,
                "is_active": True,
            },
        )
        by_code[product.code] = product
        report.products += 1
    # Products of the previous exchange stay (records point to them) but are no longer listed.
    report.products_deactivated = (
        Product.objects.exclude(code__in=list(by_code)).filter(is_active=True).update(is_active=False)
    )


@transaction.atomic
def exchange_profile_load(
    *, actor: Any, profile: Mapping[str, Any], base_dir: Path | None = None, year: int | None = None
) -> ProfileReport:
    """Configure Huifu for an exchange from a profile (see docs/identity.md for the format): the
    identity (names, contacts, logo), then each section present — ``hotline`` (the history
    replaces the previous one), ``departments`` (upserted by code; the others deactivated),
    ``letters`` (the 文号 prefixes of ``year``, default this year), ``products`` (upserted by
    code; the others deactivated). A section left out is left as it is. All or nothing."""
    require(actor, "publicsite.change_identity")
    identity = profile.get("identity")
    if not isinstance(identity, Mapping):
        raise ValidationError({"identity": _("The profile has no identity section.")})
    report = ProfileReport(name=str(identity.get("name_zh", "")))
    row = _load_identity(actor=actor, data=identity, base_dir=base_dir)
    for section, loader in (
        ("hotline", lambda rows: _load_hotline(actor=actor, rows=rows, report=report)),
        ("departments", lambda rows: _load_departments(rows=rows, report=report)),
        ("products", lambda rows: _load_products(rows=rows, report=report)),
    ):
        if section in profile:
            rows = profile[section]
            if not isinstance(rows, list):
                raise ValidationError({section: _("“%(section)s” must be a list.") % {"section": section}})
            loader(rows)
    if "letters" in profile:
        letters = profile["letters"]
        if not isinstance(letters, Mapping):
            raise ValidationError({"letters": _("“letters” must be a mapping.")})
        _load_letters(data=letters, year=year or timezone.localdate().year, report=report)
    audit_record(actor=actor, action=AuditAction.IMPORT, target=row, message=report.summary())
    return report
