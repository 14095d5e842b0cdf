"""Writing products: staff edit attributes and fees. One transaction, one audit entry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huifu.audit.services import audit_update, snapshot
from huifu.core.permissions import require

from .models import FeeBasis, Product, ProductKind

EDITABLE_FIELDS = (
    "name_zh",
    "name_en",
    "is_active",
    "listed_on",
    "contract_multiplier",
    "unit",
    "fee_basis",
    "fee_per_lot",
    "fee_rate",
    "sort_order",
)


def _clean(product: Product) -> None:
    errors: dict[str, str] = {}
    product.name_zh = (product.name_zh or "").strip()
    if not product.name_zh:
        errors["name_zh"] = _("A product needs a Chinese name.")
    if product.contract_multiplier is None or product.contract_multiplier <= 0:
        errors["contract_multiplier"] = _("The contract multiplier must be positive.")
    if product.fee_basis == FeeBasis.PER_LOT:
        if product.fee_per_lot is None or product.fee_per_lot < 0:
            errors["fee_per_lot"] = _("Give the fee per lot (0 or more) for a per-lot fee basis.")
        product.fee_rate = None
    elif product.fee_basis == FeeBasis.TURNOVER_RATE:
        if product.fee_rate is None or not (Decimal("0") <= product.fee_rate < 1):
            errors["fee_rate"] = _("Give the fee rate as a fraction of turnover between 0 and 1, e.g. 0.00005.")
        product.fee_per_lot = None
    else:
        errors["fee_basis"] = _("Choose a fee basis from the list.")
    if product.kind == ProductKind.OPTION and product.underlying_id is None:
        errors["underlying"] = _("An option needs its underlying futures product.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def product_update(*, actor: Any | None, product: Product, **changes: Any) -> Product:
    """Change the editable attributes of ``product`` (see ``EDITABLE_FIELDS``). Raises
    PermissionDenied for a non-staff actor, ValidationError naming the field for bad values."""
    require(actor, "products.change_product", product, message=_("You may not change products."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = snapshot(product, EDITABLE_FIELDS)
    for name, value in changes.items():
        setattr(product, name, value)
    _clean(product)
    product.save()
    audit_update(actor=actor, target=product, before=before)
    return product
