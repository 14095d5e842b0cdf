"""Trading data (交易数据): the exchange's trading calendar and members' daily statistics.

* ``ExchangeClosure``: a working day on which the exchange does not trade (e.g. 2024-02-09).
  The trading calendar is derived from the working-day calendar (``huifu.workdays``) minus
  make-up working days minus these closures (see ``calendar.py``).
* ``ImportBatch``: one import of one file (Huifu's own CSV/.xlsx layout or a public ranking
  file), with its counts and, when rejected, the bad rows with line numbers.
* ``DailyMemberStat``: one member's volume, turnover and open interest in one contract on one
  trading day. The internal, complete source used by fee-reduction settlements.
* ``RankingRow``: one row of the public daily member-ranking file (成交持仓排名). Partial,
  public data; kept apart from ``DailyMemberStat`` and never joined across a row.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# From this date on, the ranking file counts volume and open interest on one side only.
ONE_SIDED_FROM = datetime.date(2020, 1, 1)


class ExchangeClosure(models.Model):
    """A working day on which the exchange is closed (no day session, no night session)."""

    day = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("exchange closure")
        verbose_name_plural = _("exchange closures")

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.reason}"


class ImportFormat(models.TextChoices):
    CSV = "csv", _("Huifu daily statistics (CSV)")
    XLSX = "xlsx", _("Huifu daily statistics (Excel)")
    RANKING = "ranking", _("Public member ranking file (pm*.dat)")


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    REJECTED = "rejected", pgettext_lazy("import batch status", "Rejected")


class ImportMode(models.TextChoices):
    """How a daily-statistics file meets the rows already stored."""

    REPLACE_DAYS = "replace_days", _("Replace every trading day in the file (all members)")
    CORRECT_ROWS = "correct_rows", _("Correct only the rows in the file (same day, member, product, contract)")


class ImportBatch(models.Model):
    """One file import. A rejected batch imported nothing; its ``errors`` say why, by line."""

    file_format = models.CharField(_("format"), max_length=16, choices=ImportFormat.choices)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    stored_file = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("stored file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_file = models.FileField(_("uploaded file"), upload_to="tradingdata/%Y/%m/", blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_replaced = models.PositiveIntegerField(_("rows replaced"), default=0)
    mode = models.CharField(
        _("import mode"), max_length=16, choices=ImportMode.choices, default=ImportMode.REPLACE_DAYS
    )
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("error list"), default=list, blank=True)  # [{"line", "field", "message"}], capped
    first_date = models.DateField(_("first trading day"), null=True, blank=True)
    last_date = models.DateField(_("last trading day"), null=True, blank=True)
    day_count = models.PositiveIntegerField(_("trading days in file"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(
                name="tradingdata_batch_rejected_has_errors",
                condition=~Q(status="rejected") | Q(error_count__gt=0),
            ),
            models.CheckConstraint(
                name="tradingdata_batch_rejected_imports_nothing",
                condition=~Q(status="rejected") | Q(rows_imported=0),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("tradingdata:batch_detail", args=[self.pk])


class DailyMemberStat(models.Model):
    """A member's trading in one contract on one trading day (lots; turnover in CNY).

    A bulk fact table: the foreign keys have no database constraint (per-row FK triggers made a
    million-row import ~5× slower). The importer resolves every member and product before
    loading and nothing else writes here; PROTECT still guards deletes made through the ORM.
    """

    # The natural key is the primary key: one index fewer to maintain than a surrogate id plus a
    # unique key, which is most of the cost of loading a million rows.
    pk = models.CompositePrimaryKey("trade_date", "organisation", "product", "contract")
    trade_date = models.DateField(_("trading day"))
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    product = models.ForeignKey(
        "products.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    contract = models.CharField(_("contract"), max_length=24)
    volume = models.BigIntegerField(_("volume (lots)"))
    turnover = models.DecimalField(_("turnover (CNY)"), max_digits=20, decimal_places=2)
    open_interest = models.BigIntegerField(_("open interest (lots)"))
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import batch"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        ordering = ["trade_date", "organisation_id", "product_id", "contract"]
        verbose_name = _("daily member statistic")
        verbose_name_plural = _("daily member statistics")
        # The primary key leads with trade_date: it serves the day replacement (DELETE by date)
        # and the period aggregates.
        constraints = [
            models.CheckConstraint(
                name="tradingdata_stat_non_negative",
                condition=Q(volume__gte=0) & Q(turnover__gte=0) & Q(open_interest__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trade_date} {self.organisation_id} {self.contract}"


class RankingRowKind(models.TextChoices):
    MEMBER = "member", _("Member (rank 1–20)")
    TOTAL = "total", _("Contract total (rank 999)")
    AGGREGATE = "aggregate", _("Aggregate (rank 0 / -1)")


class RankingRow(models.Model):
    """One row of a public ranking file, as published (after trimming the old files' padding).

    The three rankings (volume, long open interest, short open interest) are independent lists
    that merely share a row: ``volume_member`` and ``long_member`` of one row are usually
    different members. Figures published before 2020-01-01 count both sides
    (``double_counted``); ``one_side`` halves them (see README).
    """

    batch = models.ForeignKey(ImportBatch, verbose_name=_("import batch"), on_delete=models.PROTECT, related_name="+")
    report_date = models.DateField(_("report date"))
    line = models.PositiveIntegerField(_("row in file"))
    product_name = models.CharField(_("product name"), max_length=60, blank=True)
    product_sort_no = models.IntegerField(_("product sort order"), null=True, blank=True)
    contract = models.CharField(_("contract"), max_length=24)
    rank = models.IntegerField(_("rank"))
    kind = models.CharField(_("row kind"), max_length=16, choices=RankingRowKind.choices)
    double_counted = models.BooleanField(_("both sides counted"), default=False)
    volume_member_id = models.CharField(_("volume: member number"), max_length=16, blank=True)
    volume_member_abbr = models.CharField(_("volume: member"), max_length=60, blank=True)
    volume = models.BigIntegerField(_("volume"), null=True, blank=True)
    volume_change = models.BigIntegerField(_("volume change"), null=True, blank=True)
    long_member_id = models.CharField(_("long OI: member number"), max_length=16, blank=True)
    long_member_abbr = models.CharField(_("long OI: member"), max_length=60, blank=True)
    long_oi = models.BigIntegerField(_("long open interest"), null=True, blank=True)
    long_oi_change = models.BigIntegerField(_("long OI change"), null=True, blank=True)
    short_member_id = models.CharField(_("short OI: member number"), max_length=16, blank=True)
    short_member_abbr = models.CharField(_("short OI: member"), max_length=60, blank=True)
    short_oi = models.BigIntegerField(_("short open interest"), null=True, blank=True)
    short_oi_change = models.BigIntegerField(_("short OI change"), null=True, blank=True)

    class Meta:
        ordering = ["report_date", "product_sort_no", "contract", "rank", "line"]
        verbose_name = _("ranking row")
        verbose_name_plural = _("ranking rows")
        indexes = [models.Index(fields=["report_date", "contract"], name="tradingdata_rank_date_contract")]

    def __str__(self) -> str:
        return f"{self.report_date} {self.contract} #{self.rank}"

    def one_side(self, value: int | None) -> Decimal | None:
        """A published figure on the one-sided basis: halved for files before 2020 (may end in .5)."""
        if value is None:
            return None
        return Decimal(value) / 2 if self.double_counted else Decimal(value)
