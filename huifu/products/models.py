"""Products (品种): the exchange's futures and options, as data.

A product is identified by ``code``, unique across the exchange and its subsidiary:
futures use the exchange's lower-case product code (``cu``, ``sc``), options the exchange's
option product id, the futures code with ``_o`` (``cu_o``, ``sc_o``). An option points to its
underlying futures product.

The fee basis (手续费收取方式) is data the fee-reduction settlement reads: either a fixed amount
per lot (``per_lot``, ``fee_per_lot`` CNY) or a rate of turnover (``turnover_rate``,
``fee_rate``, e.g. 0.00005 = 0.5/10,000). The seeded fees are demo values; staff edit them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Exchange(models.TextChoices):
    """Where a product is listed: the exchange itself or its subsidiary. The names shown are the
    identity's short names (``Product.exchange_name``), data, never these labels."""

    MAIN = "main", pgettext_lazy("listing venue", "The exchange")
    SUBSIDIARY = "subsidiary", pgettext_lazy("listing venue", "Its subsidiary")


def exchange_choices() -> list[tuple[str, str]]:
    """The listing venues named as the identity names them (the subsidiary only if there is one)."""
    from huifu.core.identity import exchange

    ex = exchange()
    choices = [(Exchange.MAIN.value, ex.short_name)]
    if ex.has_subsidiary:
        choices.append((Exchange.SUBSIDIARY.value, ex.subsidiary_short))
    return choices


class ProductKind(models.TextChoices):
    FUTURES = "futures", _("Futures")
    OPTION = "option", _("Option")


class FeeBasis(models.TextChoices):
    PER_LOT = "per_lot", _("Fixed amount per lot")
    TURNOVER_RATE = "turnover_rate", _("Rate of turnover")


class Product(models.Model):
    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        help_text=_("Lower-case product code, e.g. cu; options end in _o, e.g. cu_o."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    exchange = models.CharField(_("exchange"), max_length=16, choices=Exchange.choices, default=Exchange.MAIN)
    kind = models.CharField(_("kind"), max_length=8, choices=ProductKind.choices, default=ProductKind.FUTURES)
    underlying = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="options",
        limit_choices_to={"kind": ProductKind.FUTURES},
        verbose_name=_("underlying futures"),
        help_text=_("Required for an option: the futures product it is written on."),
    )
    listed_on = models.DateField(_("listing date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    contract_multiplier = models.DecimalField(
        _("contract multiplier"),
        max_digits=12,
        decimal_places=4,
        default=Decimal("1"),
        help_text=_("Units of the underlying per lot (e.g. 5 tonnes for copper)."),
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. 吨, 克, 桶, 点"))
    fee_basis = models.CharField(_("fee basis"), max_length=16, choices=FeeBasis.choices, default=FeeBasis.PER_LOT)
    fee_per_lot = models.DecimalField(_("fee per lot (CNY)"), max_digits=10, decimal_places=4, null=True, blank=True)
    fee_rate = models.DecimalField(
        _("fee rate of turnover"),
        max_digits=10,
        decimal_places=8,
        null=True,
        blank=True,
        help_text=_("A fraction of turnover, e.g. 0.00005 for 0.5/10,000."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "sort_order", "code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(name="product_exchange_valid", condition=Q(exchange__in=["main", "subsidiary"])),
            models.CheckConstraint(name="product_kind_valid", condition=Q(kind__in=["futures", "option"])),
            models.CheckConstraint(
                name="product_option_has_underlying",
                condition=(Q(kind="option") & Q(underlying__isnull=False))
                | (Q(kind="futures") & Q(underlying__isnull=True)),
                violation_error_message=_("An option needs its underlying futures; a futures product has none."),
            ),
            models.CheckConstraint(
                name="product_fee_matches_basis",
                condition=(Q(fee_basis="per_lot") & Q(fee_per_lot__isnull=False) & Q(fee_per_lot__gte=0))
                | (Q(fee_basis="turnover_rate") & Q(fee_rate__isnull=False) & Q(fee_rate__gte=0) & Q(fee_rate__lt=1)),
                violation_error_message=_(
                    "A per-lot fee needs a fee per lot; a turnover-rate fee needs a rate between 0 and 1."
                ),
            ),
            models.CheckConstraint(
                name="product_multiplier_positive",
                condition=Q(contract_multiplier__gt=0),
                violation_error_message=_("The contract multiplier must be positive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("products:detail", args=[self.code])

    @property
    def exchange_name(self) -> str:
        """The short name of the exchange or subsidiary listing it (identity data, active language)."""
        from huifu.core.identity import exchange

        ex = exchange()
        return ex.subsidiary_short if self.exchange == Exchange.SUBSIDIARY else ex.short_name

    @property
    def is_option(self) -> bool:
        return self.kind == ProductKind.OPTION

    def fee_for(self, *, volume: Decimal | int, turnover: Decimal) -> Decimal:
        """The exchange fee for ``volume`` lots traded for ``turnover`` CNY under this product's
        fee basis (not rounded). The settlement engine uses this one function."""
        if self.fee_basis == FeeBasis.PER_LOT:
            return Decimal(volume) * (self.fee_per_lot or Decimal("0"))
        return Decimal(turnover) * (self.fee_rate or Decimal("0"))

    def fee_label(self) -> str:
        if self.fee_basis == FeeBasis.PER_LOT:
            return f"{self.fee_per_lot.normalize():f} CNY/lot" if self.fee_per_lot is not None else "—"
        if self.fee_rate is None:
            return "—"
        return f"{(self.fee_rate * 10000).normalize():f}/10,000"
