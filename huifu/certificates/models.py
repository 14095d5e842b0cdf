"""Training certificates (培训证书): attendance certificates for one session (参会证明) and
completion certificates for a training programme, a series (结业证书).

Each certificate carries a gapless yearly number (``2026-000123``, ``CertificateCounter``, one
row per year locked while a number is taken) and a verification code derived by HMAC from the
number and a server secret: the public page ``/verify/<code>/`` finds it, and guessing numbers
finds nothing. What made the holder eligible (check-in, online minutes, the rule) is stored on
the certificate at issue (``eligibility``), as are the dates (session, completion, issue).

States::

    valid ─revoke─▶ revoked (terminal; the number stays)
    valid ─reissue─▶ replaced (terminal; ``replaced_by`` is the new certificate)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CertificateKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance certificate")
    COMPLETION = "completion", _("Completion certificate")


# The certificate's own words, printed in Chinese whatever the reader's language (PDF, mail).
KIND_ZH = {CertificateKind.ATTENDANCE: "参会证明", CertificateKind.COMPLETION: "结业证书"}


class CertificateState(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate", "Valid")
    REVOKED = "revoked", pgettext_lazy("certificate", "Revoked")
    REPLACED = "replaced", pgettext_lazy("certificate", "Replaced")

    @classmethod
    def standing(cls) -> frozenset[str]:
        """States that hold the holder's one certificate for a session or series (a replaced one
        gave way to its re-issue)."""
        return frozenset({cls.VALID, cls.REVOKED})


class CertificateCounter(models.Model):
    """The last number given in a year; locked (``select_for_update``) while a certificate takes
    the next, so numbers are gapless and a rolled-back issue gives its number back."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CompletionRequirement(models.Model):
    """The sessions of a training programme one must attend for its completion certificate.
    Without a row, every published session of the series is required."""

    series = models.OneToOneField(
        "events.Series", on_delete=models.CASCADE, related_name="completion_requirement", verbose_name=_("series")
    )
    sessions = models.ManyToManyField(
        "events.Session", related_name="+", verbose_name=_("required sessions"), blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("completion requirement")
        verbose_name_plural = _("completion requirements")

    def __str__(self) -> str:
        return str(self.series)


class Certificate(models.Model):
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CertificateKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=CertificateState.choices, default=CertificateState.VALID
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("holder")
    )
    holder_name = models.CharField(_("name on the certificate"), max_length=80)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("organisation"),
        help_text=_("The holder's organisation when the certificate was issued."),
    )
    session = models.ForeignKey(
        "events.Session",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=pgettext_lazy("event", "session"),
    )
    series = models.ForeignKey(
        "events.Series",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("series"),
    )
    title = models.CharField(_("title"), max_length=300)
    session_date = models.DateField(pgettext_lazy("certificate", "session date"), null=True, blank=True)
    completion_date = models.DateField(_("completion date"), null=True, blank=True)
    issued_on = models.DateField(pgettext_lazy("certificate", "issue date"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    eligibility = models.JSONField(_("eligibility"), default=dict)
    hours = models.JSONField(_("credit hours"), default=list, blank=True)  # [{"category", "label", "hours"}]
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="certificates_one_serial_per_year"),
            models.UniqueConstraint(
                fields=["holder", "session"],
                condition=Q(session__isnull=False) & Q(state__in=["valid", "revoked"]),
                name="certificates_one_standing_per_session",
            ),
            models.UniqueConstraint(
                fields=["holder", "series"],
                condition=Q(kind="completion") & Q(state__in=["valid", "revoked"]),
                name="certificates_one_standing_per_series",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="attendance",
                        session__isnull=False,
                        session_date__isnull=False,
                        completion_date__isnull=True,
                    )
                    | Q(kind="completion", session__isnull=True, completion_date__isnull=False)
                ),
                name="certificates_kind_fields",
            ),
            models.CheckConstraint(
                condition=Q(kind="attendance") | Q(series__isnull=False), name="certificates_completion_has_series"
            ),
            models.CheckConstraint(
                condition=(Q(state="revoked") & Q(revoked_at__isnull=False) & ~Q(revocation_reason=""))
                | (~Q(state="revoked") & Q(revoked_at__isnull=True)),
                name="certificates_revoked_iff_revoked_at",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-issued_at"], name="certificates_org_issued")]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:detail", args=[self.pk])

    def get_verification_path(self) -> str:
        return reverse("verify:certificate", args=[self.code])

    @property
    def verification_url(self) -> str:
        """The absolute address encoded in the QR code (the site's public address)."""
        from huifu.core.http import absolute_url

        return absolute_url(self.get_verification_path())

    @property
    def is_valid(self) -> bool:
        return self.state == CertificateState.VALID

    @property
    def is_revoked(self) -> bool:
        return self.state == CertificateState.REVOKED

    @property
    def is_replaced(self) -> bool:
        return self.state == CertificateState.REPLACED
