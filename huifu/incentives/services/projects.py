"""Projects and their rules."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition, audit_update, snapshot
from huifu.core.permissions import require

from ..models import (
    EntryMode,
    Project,
    ProjectKind,
    ProjectRule,
    ProjectStatus,
    RuleBasis,
    ServiceLine,
)
from ..tiers import TierMode, normalise_tiers

PROJECT_FIELDS = (
    "year",
    "code",
    "name_zh",
    "name_en",
    "kind",
    "service_line",
    "description",
    "open_to_members",
    "open_to_platform_traders",
    "entry_mode",
    "requires_closing",
    "review_working_days",
    "acceptance_working_days",
    "closing_working_days",
    "department",
    "notice_doc_number",
    "notice_date",
    "notice",
    "period_start",
    "period_end",
    "cap_per_member",
    "cap_total",
    "award_per_result",
    "cap_total_scope",
    "cap_per_member_scope",
    "rule_cap_scope",
    "cap_ratio_public",
    "prorate_for_joiners",
    "payout_order",
    "missing_day_rule",
)
_AUDITED = [f + "_id" if f in ("department", "notice") else f for f in PROJECT_FIELDS]

PROJECT_TRANSITIONS = {
    ProjectStatus.DRAFT: {ProjectStatus.OPEN},
    ProjectStatus.OPEN: {ProjectStatus.CLOSED},
    ProjectStatus.CLOSED: {ProjectStatus.OPEN},
}


class IncentiveStateError(ValidationError):
    """An operation was asked of a project or participation in a state that does not allow it."""


def _non_negative(errors: dict[str, str], name: str, value: Decimal | None) -> None:
    if value is not None and value < 0:
        errors[name] = _("The amount must not be negative.")


def _clean_project(project: Project) -> None:
    errors: dict[str, str] = {}
    project.code = (project.code or "").strip()
    project.name_zh = (project.name_zh or "").strip()
    if not project.code:
        errors["code"] = _("A project needs a code.")
    elif Project.objects.filter(code=project.code).exclude(pk=project.pk).exists():
        errors["code"] = _("Another project already has the code %(code)s.") % {"code": project.code}
    if not project.name_zh:
        errors["name_zh"] = _("A project needs a Chinese name.")
    if not project.year or not (2000 <= int(project.year) <= 2100):
        errors["year"] = _("Give a year between 2000 and 2100.")
    if project.kind not in ProjectKind.values:
        errors["kind"] = _("Choose functional, service or university research.")
    elif project.kind == ProjectKind.SERVICE and project.service_line not in ServiceLine.values:
        errors["service_line"] = _("A service project needs a service line.")
    elif project.kind in (ProjectKind.FUNCTIONAL, ProjectKind.RESEARCH):
        project.service_line = ""
    if project.kind == ProjectKind.RESEARCH:
        # A research call is answered by universities only; it pays no fee reduction.
        project.open_to_members = False
        project.open_to_platform_traders = False
        project.award_per_result = None
        project.cap_per_member = None
        project.cap_total = None
    if project.entry_mode not in EntryMode.values:
        errors["entry_mode"] = _("Choose application or filing.")
    if project.kind != ProjectKind.RESEARCH and not (project.open_to_members or project.open_to_platform_traders):
        errors["open_to_members"] = _("Open the project to members, platform traders or both.")
    if project.period_start is None:
        errors["period_start"] = _("Give the start of the period.")
    if project.period_end is None:
        errors["period_end"] = _("Give the end of the period.")
    elif project.period_start is not None and project.period_end < project.period_start:
        errors["period_end"] = _("The period must end on or after its start.")
    for name in ("review_working_days", "acceptance_working_days", "closing_working_days"):
        if not getattr(project, name) or getattr(project, name) < 1:
            errors[name] = _("Give at least one working day.")
    for name in ("cap_per_member", "cap_total", "award_per_result"):
        _non_negative(errors, name, getattr(project, name))
    if errors:
        raise ValidationError(errors)


def _no_products_for_research(project: Project, products: list[Any]) -> None:
    if project.kind == ProjectKind.RESEARCH and products:
        raise ValidationError({"products": _("A research project covers no products.")})


@transaction.atomic
def project_create(
    *,
    actor: Any | None,
    products: Iterable[Any] = (),
    pilots: Iterable[Any] = (),
    **fields: Any,
) -> Project:
    """Create a draft project. ``fields`` are ``PROJECT_FIELDS``."""
    require(actor, "incentives.add_project")
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown project fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    project = Project(status=ProjectStatus.DRAFT, **fields)
    _clean_project(project)
    products = list(products)
    _no_products_for_research(project, products)
    project.save()
    project.products.set(products)
    project.pilots.set(list(pilots))
    audit_create(actor=actor, target=project)
    return project


@transaction.atomic
def project_update(
    *,
    actor: Any | None,
    project: Project,
    products: Iterable[Any] | None = None,
    pilots: Iterable[Any] | None = None,
    **changes: Any,
) -> Project:
    """Change a project's fields and coverage. Removing a product that has a rule or that a
    live participation targets is refused (field ``products``)."""
    require(actor, "incentives.change_project", project)
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown project fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    project = Project.objects.select_for_update().get(pk=project.pk)
    before = snapshot(project, _AUDITED)
    before["products"] = sorted(project.products.values_list("code", flat=True))
    before["pilots"] = sorted(project.pilots.values_list("pk", flat=True))
    for name, value in changes.items():
        setattr(project, name, value)
    _clean_project(project)
    if products is not None:
        products = list(products)
        _no_products_for_research(project, products)
        keep = {p.pk for p in products}
        ruled = set(project.rules.values_list("product__code", "product_id"))
        orphan_rules = sorted(code for code, pk in ruled if pk not in keep)
        if orphan_rules:
            raise ValidationError(
                {"products": _("Delete the rules first for: %(codes)s.") % {"codes": ", ".join(orphan_rules)}}
            )
        from ..models import Participation, ParticipationStatus

        targeted = set(
            Participation.products.through.objects.filter(
                participation__project=project,
                participation__status__in=ParticipationStatus.open_states() | ParticipationStatus.settleable(),
            ).values_list("product__code", "product_id")
        )
        orphan_targets = sorted({code for code, pk in targeted if pk not in keep})
        if orphan_targets:
            raise ValidationError(
                {
                    "products": _("Participations target these products: %(codes)s.")
                    % {"codes": ", ".join(orphan_targets)}
                }
            )
    project.save()
    if products is not None:
        project.products.set(products)
    if pilots is not None:
        project.pilots.set(list(pilots))
    after = snapshot(project, _AUDITED)
    after["products"] = sorted(project.products.values_list("code", flat=True))
    after["pilots"] = sorted(project.pilots.values_list("pk", flat=True))
    changes_diff = {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}
    if changes_diff:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=project, changes=changes_diff)
    return project


@transaction.atomic
def project_set_status(*, actor: Any | None, project: Project, status: str) -> Project:
    """Open a draft project, close an open one, or reopen a closed one. Opening needs at least
    one covered product and, for a functional project, a rule for each covered product."""
    require(actor, "incentives.change_project", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if status not in PROJECT_TRANSITIONS.get(project.status, set()):
        raise IncentiveStateError(
            _("A project that is “%(status)s” cannot become “%(target)s”."),
            code="illegal_transition",
            params={"status": project.get_status_display(), "target": ProjectStatus(status).label},
        )
    if status == ProjectStatus.OPEN and project.kind != ProjectKind.RESEARCH:
        product_ids = set(project.products.values_list("pk", flat=True))
        if not product_ids:
            raise IncentiveStateError(_("Add the products the project covers before opening it."), code="no_products")
        if project.kind == ProjectKind.FUNCTIONAL:
            ruled = set(project.rules.values_list("product_id", flat=True))
            missing = product_ids - ruled
            if missing:
                from huifu.products.models import Product

                codes = ", ".join(sorted(Product.objects.filter(pk__in=missing).values_list("code", flat=True)))
                raise IncentiveStateError(
                    _("A functional project needs a rule for every covered product; missing: %(codes)s."),
                    code="missing_rules",
                    params={"codes": codes},
                )
    source = project.status
    project.status = status
    project.save(update_fields=["status", "updated_at"])
    audit_transition(actor=actor, target=project, source=source, target_state=status)
    return project


@transaction.atomic
def rule_save(
    *,
    actor: Any | None,
    project: Project,
    product: Any,
    basis: str,
    tier_mode: str,
    tiers: Any,
    min_volume: Decimal | None = None,
    min_avg_open_interest: Decimal | None = None,
    cap_per_member: Decimal | None = None,
    notes: str = "",
) -> ProjectRule:
    """Create or replace the rule of ``project`` for ``product``. Validates the tier table
    (``tiers.parse_tiers``) and stores it canonically. The product must be covered."""
    require(actor, "incentives.change_project", project)
    errors: dict[str, Any] = {}
    if not project.products.filter(pk=product.pk).exists():
        errors["product"] = _("The project does not cover %(code)s; add the product to the project first.") % {
            "code": product.code
        }
    if basis not in RuleBasis.values:
        errors["basis"] = _("Choose a basis from the list.")
    if tier_mode not in (TierMode.MARGINAL, TierMode.WHOLE):
        errors["tier_mode"] = _("Choose marginal or whole.")
    try:
        canonical = normalise_tiers(tiers)
    except ValidationError as exc:
        errors["tiers"] = exc.messages
        canonical = []
    for name, value in (
        ("min_volume", min_volume),
        ("min_avg_open_interest", min_avg_open_interest),
        ("cap_per_member", cap_per_member),
    ):
        _non_negative(errors, name, value)
    if errors:
        raise ValidationError(errors)
    rule = ProjectRule.objects.select_for_update().filter(project=project, product=product).first()
    values = {
        "basis": basis,
        "tier_mode": tier_mode,
        "tiers": canonical,
        "min_volume": min_volume,
        "min_avg_open_interest": min_avg_open_interest,
        "cap_per_member": cap_per_member,
        "notes": (notes or "").strip(),
    }
    if rule is None:
        rule = ProjectRule.objects.create(project=project, product=product, **values)
        audit_create(actor=actor, target=rule)
        return rule
    before = snapshot(rule, list(values))
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    audit_update(actor=actor, target=rule, before=before)
    return rule


@transaction.atomic
def rule_delete(*, actor: Any | None, rule: ProjectRule) -> None:
    require(actor, "incentives.change_project", rule.project)
    audit_record(actor=actor, action=AuditAction.DELETE, target=rule, changes=snapshot(rule))
    rule.delete()
