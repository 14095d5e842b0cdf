"""Assigning a whole Member Voice form in one step, and the work queue's bulk assignment of
Member Voice items (the ``feedback_item`` kind's hook in ``huifu.tracking.kinds``).

    form_assign(*, form, assignments, actor) -> list[FeedbackItem]
        assignments: [(item, owner, departments)], departments lead first
    queue_assign(*, item, owner, department, actor) -> None   (tracking.kinds hook)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huifu.core.permissions import require

from ..models import FeedbackForm, FeedbackItem
from .items import item_assign


def form_assign(*, form: FeedbackForm, assignments: list[tuple[FeedbackItem, Any, list[Any]]], actor: Any) -> list:
    """Every (item, owner, departments) of ``form`` at once, all or nothing: each goes through
    ``item_assign`` (its rules, notifications, queue and audit); if one is refused, nothing is
    saved and the ``ValidationError`` names each refused item (``item_<pk>_owner`` / ``item_<pk>_department``)."""
    require(actor, "servicedesk.assign_item", form)
    if not assignments:
        raise ValidationError(_("Choose an owner and a department for at least one item."))
    errors: dict[str, list[str]] = {}
    done = []
    with transaction.atomic():
        for item, owner, departments in assignments:
            if item.form_id != form.pk:
                raise ValidationError(_("The item is not part of this form."))
            try:
                with transaction.atomic():
                    done.append(item_assign(item=item, owner=owner, departments=departments, actor=actor))
            except ValidationError as exc:
                label = f"{item.get_kind_display()}{item.number}"
                for field, messages in (
                    exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]
                ):
                    key = f"item_{item.pk}_department" if field == "departments" else f"item_{item.pk}_owner"
                    errors.setdefault(key, []).extend(f"{label}: {m}" for m in messages)
        if errors:
            raise ValidationError(errors)  # rolls back the items already assigned
    return done


def queue_assign(*, item: Any, owner: Any, department: Any, actor: Any) -> None:
    """The queue's bulk assignment of a Member Voice item's tracked row: the item itself gets the
    owner and the lead department (the other departments stay), through ``item_assign`` and its
    rule (Member Management only)."""
    feedback_item = FeedbackItem.objects.prefetch_related("departments").select_related("owner").get(pk=item.target_id)
    current = list(feedback_item.departments.all())
    if department is not None:
        lead = item.department_id
        departments = [department, *(d for d in current if d.pk not in (lead, department.pk))]
    else:
        departments = current
    item_assign(item=feedback_item, owner=owner or feedback_item.owner, departments=departments, actor=actor)
