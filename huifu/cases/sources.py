"""Which records a case may be written from, without importing their apps.

An app registers its model with a test saying whether a record is finished (only finished
activities and plans become cases), typically in ``AppConfig.ready``::

    from huifu.cases import sources
    sources.register(DeepeningPlan, finished=lambda plan: plan.status in {"completed", "closed"},
                     enterprise=lambda plan: first_enterprise(plan), industry=lambda plan: "...")

``enterprise`` and ``industry`` (optional) pre-fill a new case written from such a record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Source:
    finished: Callable[[Any], bool]
    enterprise: Callable[[Any], Any] | None = None
    industry: Callable[[Any], str] | None = None


_REGISTRY: dict[str, Source] = {}


def register(
    model: Any,
    *,
    finished: Callable[[Any], bool],
    enterprise: Callable[[Any], Any] | None = None,
    industry: Callable[[Any], str] | None = None,
) -> None:
    _REGISTRY[model._meta.label_lower] = Source(finished=finished, enterprise=enterprise, industry=industry)


def source_for(obj: Any) -> Source | None:
    return _REGISTRY.get(obj._meta.label_lower)


def registered_labels() -> list[str]:
    return sorted(_REGISTRY)


def resolve(reference: str) -> Any | None:
    """``"app_label.model:pk"`` -> the record, or None when unknown or missing."""
    try:
        label, pk = reference.split(":", 1)
        if label.lower() not in _REGISTRY:
            return None
        model = apps.get_model(label)
        return model._default_manager.filter(pk=pk).first()
    except (ValueError, LookupError):
        return None


def reference(obj: Any) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def content_type(obj: Any) -> ContentType:
    return ContentType.objects.get_for_model(obj)
