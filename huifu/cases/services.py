"""Writing cases: draft (optionally from a finished activity or plan), edit, attach files,
publish, withdraw. One transaction and one audit entry each (storing a file adds the files
app's own entry). ``actor=None`` is the system (demo seeding)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition, audit_update, snapshot
from huifu.core.permissions import require
from huifu.directory.models import OrganisationKind
from huifu.files import kinds
from huifu.files.services import file_store

from . import sources
from .models import CASE_TRANSITIONS, Case, CaseAudience, CaseFile, CaseStatus

CASE_FILE_PURPOSE = "case_media"
CASE_FILE_KINDS = (kinds.PNG, kinds.JPEG, kinds.PDF, kinds.DOCX)
EDITABLE_FIELDS = ("title", "summary", "body", "industry", "products", "enterprise", "enterprise_label", "audience")
_AUDITED = [f if f != "enterprise" else "enterprise_id" for f in EDITABLE_FIELDS]


class CaseStateError(ValidationError):
    """An operation was asked of a case in a state that does not allow it."""


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _guard(case: Case, target: str) -> None:
    if target not in CASE_TRANSITIONS.get(case.status, frozenset()):
        raise CaseStateError(
            _("A case that is “%(status)s” cannot become “%(target)s”."),
            code="illegal_transition",
            params={"status": case.get_status_display(), "target": CaseStatus(target).label},
        )


def _guard_editable(case: Case) -> None:
    if case.status != CaseStatus.DRAFT:
        raise CaseStateError(
            _("Only drafts can be changed; withdraw the case and write a new one."), code="not_editable"
        )


def _products(values: Iterable[str] | str | None) -> list[str]:
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").split(",")
    return list(dict.fromkeys(str(v).strip() for v in (values or []) if str(v).strip()))[:20]


def _clean(case: Case) -> None:
    errors: dict[str, str] = {}
    case.title, case.summary, case.body = (
        (case.title or "").strip(),
        (case.summary or "").strip(),
        (case.body or "").strip(),
    )
    case.industry, case.enterprise_label = (case.industry or "").strip(), (case.enterprise_label or "").strip()
    case.products = _products(case.products)
    case.products_text = "|".join(case.products)[:400]
    if not case.title:
        errors["title"] = _("A case needs a title.")
    if not case.summary:
        errors["summary"] = _("A case needs a short summary.")
    if not case.body:
        errors["body"] = _("Write the case.")
    if case.audience not in CaseAudience.values:
        errors["audience"] = _("Choose who may read the case.")
    if case.enterprise is not None and case.enterprise.kind != OrganisationKind.ENTERPRISE:
        errors["enterprise"] = _("Choose an enterprise from the directory.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_create_draft(
    *,
    actor: Any | None,
    title: str,
    summary: str,
    body: str,
    source: Any = None,
    industry: str = "",
    products: Iterable[str] | str = (),
    enterprise: Any = None,
    enterprise_label: str = "",
    audience: str = CaseAudience.MEMBERS,
) -> Case:
    """Write a draft. ``source`` (optional) is a finished record of a registered kind (a closed
    activity, a completed plan); anything else is refused on the ``source`` field."""
    require(actor, "cases.add_case")
    case = Case(
        title=title,
        summary=summary,
        body=body,
        industry=industry,
        products=products,
        enterprise=enterprise,
        enterprise_label=enterprise_label,
        audience=audience,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if source is not None:
        spec = sources.source_for(source)
        if spec is None:
            raise ValidationError(
                {"source": _("Cases are written from co-hosted activities and deep-cultivation plans.")}
            )
        if not spec.finished(source):
            raise ValidationError({"source": _("Only finished activities and plans can become cases.")})
        case.source_type, case.source_id, case.source_label = (
            sources.content_type(source),
            str(source.pk),
            str(source)[:300],
        )
    _clean(case)
    case.save()
    audit_create(actor=actor, target=case, message=case.source_label)
    return case


@transaction.atomic
def case_update(*, actor: Any | None, case: Case, **fields: Any) -> Case:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    case = _lock(case)
    require(actor, "cases.change_case", case)
    _guard_editable(case)
    before = snapshot(case, _AUDITED)
    for name, value in fields.items():
        setattr(case, name, value)
    _clean(case)
    case.save()
    audit_update(actor=actor, target=case, before=before)
    return case


@transaction.atomic
def case_file_add(*, actor: Any | None, case: Case, upload: Any, caption: str = "") -> CaseFile:
    """Attach an image (PNG, JPEG) or document (PDF, Word) to a draft."""
    case = _lock(case)
    require(actor, "cases.change_case", case)
    _guard_editable(case)
    stored = file_store(
        upload=upload, actor=actor, organisation=None, purpose=CASE_FILE_PURPOSE, allowed_kinds=CASE_FILE_KINDS
    )
    last = case.files.aggregate(m=Max("order"))["m"] or 0
    item = CaseFile.objects.create(case=case, file=stored, caption=(caption or "").strip()[:200], order=last + 1)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=case,
        changes={"files": [None, stored.original_name]},
        message="file added",
    )
    return item


@transaction.atomic
def case_file_remove(*, actor: Any | None, item: CaseFile) -> None:
    case = _lock(item.case)
    require(actor, "cases.change_case", case)
    _guard_editable(case)
    name = item.file.original_name
    item.delete()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=case, changes={"files": [name, None]}, message="file removed"
    )


@transaction.atomic
def case_publish(*, actor: Any | None, case: Case) -> Case:
    """Publish a draft to its audience."""
    case = _lock(case)
    require(actor, "cases.publish_case", case)
    _guard(case, CaseStatus.PUBLISHED)
    source = case.status
    case.status, case.published_at = CaseStatus.PUBLISHED, timezone.now()
    case.save(update_fields=["status", "published_at", "updated_at"])
    audit_transition(actor=actor, target=case, source=source, target_state=case.status, message=case.audience)
    return case


@transaction.atomic
def case_withdraw(*, actor: Any | None, case: Case, reason: str) -> Case:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is withdrawn.")})
    case = _lock(case)
    require(actor, "cases.withdraw_case", case)
    _guard(case, CaseStatus.WITHDRAWN)
    source = case.status
    case.status, case.withdrawn_at, case.withdrawn_reason = CaseStatus.WITHDRAWN, timezone.now(), reason
    case.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "updated_at"])
    audit_transition(actor=actor, target=case, source=source, target_state=case.status, message=reason[:500])
    return case
