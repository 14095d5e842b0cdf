"""Writes on the exchange's departments, their business areas and the published liaison people.
Only Member Management (the coordinator) maintains these. Every change bumps the department's
``updated_at``, which the member-facing list shows as its last-updated date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_update, snapshot
from huifu.core.permissions import require

from ..models import BusinessArea, Department, Liaison

DEPARTMENT_FIELDS = ("code", "kind", "name_zh", "name_en", "description", "webhook_url", "is_active")
BUSINESS_AREA_FIELDS = ("name_zh", "name_en")
LIAISON_FIELDS = ("business_area", "name", "title", "phone", "email", "is_published")


def _require(actor: Any) -> None:
    require(
        actor,
        "directory.manage_departments",
        message=_("Only Member Management maintains departments and liaison people."),
    )


def _full_clean_save(instance: Any, exclude: Sequence[str] = ()) -> None:
    """Validate with the model's own rules (choices, lengths, e-mail, uniqueness) and save."""
    instance.full_clean(exclude=list(exclude))
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(_("Another record with the same identifying data was saved at the same time; try again."))


def _touch(department: Department) -> None:
    Department.objects.filter(pk=department.pk).update(updated_at=timezone.now())


def _next_order(qs: Any) -> int:
    return (qs.aggregate(m=Max("sort_order"))["m"] or 0) + 10


def _set(instance: Any, data: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({k: [_("This field cannot be set here.")] for k in sorted(unknown)})
    for name, value in data.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


# --- departments -------------------------------------------------------------------------------


def department_create(*, actor: Any, data: Mapping[str, Any]) -> Department:
    _require(actor)
    with transaction.atomic():
        department = Department(sort_order=_next_order(Department.objects.all()), updated_at=timezone.now())
        _set(department, data, DEPARTMENT_FIELDS)
        _full_clean_save(department)
        audit_create(actor=actor, target=department)
    return department


def department_update(*, actor: Any, department: Department, data: Mapping[str, Any]) -> Department:
    _require(actor)
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=department.pk)
        before = snapshot(department, DEPARTMENT_FIELDS)
        _set(department, data, DEPARTMENT_FIELDS)
        department.updated_at = timezone.now()
        _full_clean_save(department)
        audit_update(actor=actor, target=department, before=before)
    return department


def _reorder(items: dict[int, Any], ordered_ids: Sequence[int], model: Any) -> tuple[list[int], list[int]]:
    ids = [int(i) for i in ordered_ids]
    if sorted(ids) != sorted(items):
        raise ValidationError(_("The new order must list every item exactly once."))
    before = [pk for pk, _obj in sorted(items.items(), key=lambda kv: (kv[1].sort_order, kv[0]))]
    for position, pk in enumerate(ids, start=1):
        items[pk].sort_order = position * 10
    model.objects.bulk_update(list(items.values()), ["sort_order"])
    return before, ids


def department_reorder(*, actor: Any, ordered_ids: Sequence[int]) -> None:
    """Put every department in the given order (a list of all department ids)."""
    _require(actor)
    with transaction.atomic():
        items = {d.pk: d for d in Department.objects.select_for_update()}
        before, after = _reorder(items, ordered_ids, Department)
        Department.objects.update(updated_at=timezone.now())
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target_label=_("department order"),
            changes={"order": [before, after]},
        )


# --- business areas ----------------------------------------------------------------------------


def business_area_create(*, actor: Any, department: Department, name_zh: str, name_en: str = "") -> BusinessArea:
    _require(actor)
    with transaction.atomic():
        area = BusinessArea(department=department, sort_order=_next_order(department.business_areas.all()))
        _set(area, {"name_zh": name_zh, "name_en": name_en}, BUSINESS_AREA_FIELDS)
        _full_clean_save(area)
        _touch(department)
        audit_create(actor=actor, target=area)
    return area


def business_area_update(*, actor: Any, business_area: BusinessArea, data: Mapping[str, Any]) -> BusinessArea:
    _require(actor)
    with transaction.atomic():
        area = BusinessArea.objects.select_for_update().get(pk=business_area.pk)
        before = snapshot(area, BUSINESS_AREA_FIELDS)
        _set(area, data, BUSINESS_AREA_FIELDS)
        _full_clean_save(area)
        _touch(area.department)
        audit_update(actor=actor, target=area, before=before)
    return area


def business_area_delete(*, actor: Any, business_area: BusinessArea) -> None:
    """Delete a business area; its liaison people stay in the department without an area."""
    _require(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            target=business_area,
            changes=snapshot(business_area, ("department_id", *BUSINESS_AREA_FIELDS)),
        )
        _touch(business_area.department)
        business_area.delete()


def business_area_reorder(*, actor: Any, department: Department, ordered_ids: Sequence[int]) -> None:
    _require(actor)
    with transaction.atomic():
        items = {a.pk: a for a in BusinessArea.objects.select_for_update().filter(department=department)}
        before, after = _reorder(items, ordered_ids, BusinessArea)
        _touch(department)
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=department, changes={"business_area_order": [before, after]}
        )


# --- liaison people ----------------------------------------------------------------------------


def _check_area(department: Department, business_area: BusinessArea | None) -> None:
    if business_area is not None and business_area.department_id != department.pk:
        raise ValidationError({"business_area": [_("Choose a business area of this department.")]})


def liaison_create(
    *,
    actor: Any,
    department: Department,
    name: str,
    business_area: BusinessArea | None = None,
    title: str = "",
    phone: str = "",
    email: str = "",
    is_published: bool = True,
) -> Liaison:
    _require(actor)
    _check_area(department, business_area)
    with transaction.atomic():
        liaison = Liaison(department=department, sort_order=_next_order(department.liaisons.all()))
        _set(
            liaison,
            {
                "business_area": business_area,
                "name": name,
                "title": title,
                "phone": phone,
                "email": email,
                "is_published": is_published,
            },
            LIAISON_FIELDS,
        )
        _full_clean_save(liaison)
        _touch(department)
        audit_create(actor=actor, target=liaison)
    return liaison


def liaison_update(*, actor: Any, liaison: Liaison, data: Mapping[str, Any]) -> Liaison:
    _require(actor)
    with transaction.atomic():
        liaison = Liaison.objects.select_for_update().select_related("department").get(pk=liaison.pk)
        if "business_area" in data:
            _check_area(liaison.department, data["business_area"])
        before = snapshot(liaison, ("business_area_id", *LIAISON_FIELDS[1:]))
        _set(liaison, data, LIAISON_FIELDS)
        _full_clean_save(liaison)
        _touch(liaison.department)
        audit_update(actor=actor, target=liaison, before=before)
    return liaison


def liaison_publish(*, actor: Any, liaison: Liaison, published: bool) -> Liaison:
    """Show (or hide) a liaison person on the member-facing list."""
    return liaison_update(actor=actor, liaison=liaison, data={"is_published": published})


def liaison_delete(*, actor: Any, liaison: Liaison) -> None:
    _require(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            target=liaison,
            changes=snapshot(liaison, ("department_id", "business_area_id", *LIAISON_FIELDS[1:])),
        )
        _touch(liaison.department)
        liaison.delete()


def liaison_reorder(*, actor: Any, department: Department, ordered_ids: Sequence[int]) -> None:
    _require(actor)
    with transaction.atomic():
        items = {li.pk: li for li in Liaison.objects.select_for_update().filter(department=department)}
        before, after = _reorder(items, ordered_ids, Liaison)
        _touch(department)
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=department, changes={"liaison_order": [before, after]}
        )


def move_in_order(ids: Sequence[int], pk: int, direction: str) -> list[int]:
    """The id list with ``pk`` moved one place up or down (for the up/down buttons)."""
    order = list(ids)
    if pk not in order:
        raise ValidationError(_("Unknown item."))
    i = order.index(pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return order
