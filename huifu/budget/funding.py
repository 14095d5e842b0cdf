"""How the budget talks to the records it funds, without importing them.

An app whose records receive allocations registers a ``Funded`` description for its model,
typically in ``AppConfig.ready``::

    from huifu.budget import funding
    funding.register(Activity, funding.Funded(
        url=lambda activity: activity.get_absolute_url(),
        on_invoice=activity_invoice_registered,   # called inside the budget's transaction
        on_payment=activity_payment_recorded,     # called inside the budget's transaction
    ))

The hooks receive ``(target, allocation, actor)`` after the invoice or payment row is written
and may move the record's own state (e.g. "invoiced", "paid"). They run in the same
transaction: if a hook raises, nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Hook = Callable[[Any, Any, Any], None]


@dataclass(frozen=True)
class Funded:
    url: Callable[[Any], str] | None = None
    on_invoice: Hook | None = None
    on_payment: Hook | None = None


_REGISTRY: dict[str, Funded] = {}


def _key(model: Any) -> str:
    return model._meta.label_lower


def register(model: Any, funded: Funded) -> None:
    _REGISTRY[_key(model)] = funded


def funded_for(model_or_instance: Any) -> Funded:
    return _REGISTRY.get(_key(model_or_instance), Funded())
