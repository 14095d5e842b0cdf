"""Visits (接待来访): a member or institution asks to visit the exchange, or staff register a
visit letter (拜访函) received by e-mail; Member Management arranges the reception (time,
place, exchange attendees, agenda) within 2 working days; the requester confirms or asks for
a change.

Workflow (see ``VISIT_TRANSITIONS``)::

    requested ──arrange──▶ arranged ──confirm──▶ confirmed ──hold──▶ held
        │                    │  ▲                    │
        │                    ▼  │ re-arrange         │
        │             change_requested ◀─────────────┘
        └────────── cancel (from any open state) ──▶ cancelled

Only ``huifu.visits.services`` changes a visit's status.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VisitStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ARRANGED = "arranged", _("Arranged")
    CHANGE_REQUESTED = "change_requested", _("Change requested")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def open(cls) -> frozenset[str]:
        return frozenset({cls.REQUESTED, cls.ARRANGED, cls.CHANGE_REQUESTED, cls.CONFIRMED})

    @classmethod
    def terminal(cls) -> frozenset[str]:
        return frozenset({cls.HELD, cls.CANCELLED})

    @classmethod
    def arrangeable(cls) -> frozenset[str]:
        """States in which Member Management may (re-)arrange the reception."""
        return frozenset({cls.REQUESTED, cls.ARRANGED, cls.CHANGE_REQUESTED, cls.CONFIRMED})

    @classmethod
    def scheduled(cls) -> frozenset[str]:
        """States that carry an arrangement (time, place, attendees)."""
        return frozenset({cls.ARRANGED, cls.CHANGE_REQUESTED, cls.CONFIRMED, cls.HELD})


VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.REQUESTED: frozenset({VisitStatus.ARRANGED, VisitStatus.CANCELLED}),
    VisitStatus.ARRANGED: frozenset(
        {VisitStatus.ARRANGED, VisitStatus.CONFIRMED, VisitStatus.CHANGE_REQUESTED, VisitStatus.CANCELLED}
    ),
    VisitStatus.CHANGE_REQUESTED: frozenset({VisitStatus.ARRANGED, VisitStatus.CANCELLED}),
    VisitStatus.CONFIRMED: frozenset(
        {VisitStatus.ARRANGED, VisitStatus.CHANGE_REQUESTED, VisitStatus.HELD, VisitStatus.CANCELLED}
    ),
    VisitStatus.HELD: frozenset(),
    VisitStatus.CANCELLED: frozenset(),
}


class VisitSource(models.TextChoices):
    PORTAL = "portal", _("Request in the portal")
    LETTER = "letter", _("Visit letter received by e-mail")


class VisitRequest(models.Model):
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="visit_requests",
        verbose_name=_("visiting organisation"),
    )
    source = models.CharField(_("source"), max_length=16, choices=VisitSource.choices, default=VisitSource.PORTAL)
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.REQUESTED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_requests",
        verbose_name=_("requested by"),
    )
    contact_name = models.CharField(_("contact person"), max_length=80)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    purpose = models.TextField(_("purpose of the visit"))
    proposed_dates = models.CharField(
        _("proposed dates"), max_length=200, help_text=_("e.g. 10月10日下午或10月12日上午")
    )
    visitors = models.TextField(_("visitors"), help_text=_("One visitor per line: name and job title."))
    visitor_count = models.PositiveSmallIntegerField(_("number of visitors"), default=1)
    topics = models.TextField(_("topics to discuss"), blank=True)
    letter = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visit letter"),
    )
    received_at = models.DateTimeField(_("received"), help_text=_("When the request or letter reached the exchange."))

    # The arrangement (set by Member Management).
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="visit_receptions", verbose_name=_("exchange attendees")
    )
    arranged_at = models.DateTimeField(_("arranged"), null=True, blank=True)
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("arranged by"),
    )
    # Bumped on every (re-)arrangement: the SEQUENCE of the .ics invitation.
    arrangement_version = models.PositiveIntegerField(_("arrangement version"), default=0)
    ics_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    change_reason = models.TextField(_("requested change"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    held_notes = models.TextField(_("notes of the meeting"), blank=True)
    cancelled_at = models.DateTimeField(pgettext_lazy("time", "cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("visit request")
        verbose_name_plural = _("visit requests")
        indexes = [models.Index(fields=["organisation", "-received_at"], name="visit_org_received_idx")]
        constraints = [
            models.CheckConstraint(
                name="visit_status_valid",
                condition=Q(status__in=[s.value for s in VisitStatus]),
            ),
            models.CheckConstraint(
                name="visit_arranged_has_schedule",
                condition=Q(status="requested")
                | Q(status="cancelled")
                | (Q(starts_at__isnull=False) & Q(ends_at__isnull=False) & ~Q(place="") & Q(arranged_at__isnull=False)),
                violation_error_message=_("An arranged visit has a start, an end, a place and an arrangement time."),
            ),
            models.CheckConstraint(
                name="visit_ends_after_start",
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                violation_error_message=_("A visit ends after it starts."),
            ),
            models.CheckConstraint(
                name="visit_cancelled_iff_cancelled_at",
                condition=(Q(status="cancelled") & Q(cancelled_at__isnull=False))
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="visit_letter_source_has_file",
                condition=~Q(source="letter") | Q(letter__isnull=False),
                violation_error_message=_("A registered visit letter keeps the letter file."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.received_at:%Y-%m-%d}" if self.received_at else str(self.organisation)

    def get_absolute_url(self) -> str:
        return reverse("visits:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in VisitStatus.open()

    @property
    def has_arrangement(self) -> bool:
        return self.status in VisitStatus.scheduled()


class VisitRound(models.Model):
    """One round of "please arrange the reception": the first from the request or letter, one
    more for each change the requester asks for. Each round is tracked on its own 2-working-day
    clock (``huifu.tracking``, kind ``visit``) and closes when Member Management (re-)arranges."""

    visit = models.ForeignKey(VisitRequest, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("visit"))
    number = models.PositiveSmallIntegerField(_("round"))
    opened_at = models.DateTimeField(_("opened"))
    reason = models.TextField(_("requested change"), blank=True)
    closed_at = models.DateTimeField(_("arranged"), null=True, blank=True)

    class Meta:
        ordering = ["visit_id", "number"]
        verbose_name = _("arrangement round")
        verbose_name_plural = _("arrangement rounds")
        constraints = [
            models.UniqueConstraint(fields=["visit", "number"], name="visit_round_unique_number"),
            models.UniqueConstraint(fields=["visit"], condition=Q(closed_at__isnull=True), name="visit_one_open_round"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} #{self.number}"

    def get_absolute_url(self) -> str:
        return self.visit.get_absolute_url()
