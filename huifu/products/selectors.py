"""Reading products. Products are readable by every logged-in user; inactive ones by staff only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_logged_in, is_staff_user

from .models import Product


def product_list(*, user: Any, exchange: str = "", kind: str = "", search: str = "") -> QuerySet[Product]:
    if not is_logged_in(user):
        return Product.objects.none()
    qs = Product.objects.select_related("underlying")
    if not is_staff_user(user):
        qs = qs.filter(is_active=True)
    if exchange:
        qs = qs.filter(exchange=exchange)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = product_search(qs, search)
    return qs.order_by("kind", "sort_order", "code")


def product_search(qs: QuerySet[Product], text: str) -> QuerySet[Product]:
    """Products of ``qs`` whose code or a name contains ``text`` (the list's text filter)."""
    text = text.strip()
    if not text:
        return qs
    return qs.filter(Q(code__icontains=text) | Q(name_zh__icontains=text) | Q(name_en__icontains=text))


def product_get(*, user: Any, code: str) -> Product:
    """The product with ``code`` that ``user`` may read, else Http404."""
    try:
        return product_list(user=user).get(code=code)
    except Product.DoesNotExist:
        raise Http404 from None


def products_by_code() -> dict[str, Product]:
    """Every product keyed by code (for imports and computations; no user scoping)."""
    return {p.code: p for p in Product.objects.select_related("underlying")}
