"""Investor-education events (投资者教育): the monthly commodity talk (大宗商品月月谈) and the
training series for key market participants, on one engine.

A ``Series`` is one programme of one year (the 2026 monthly talk; a training programme); its
``Session`` rows are the dated half-day meetings, on site, online or both. A session is a
``draft`` until staff publish it; only published sessions appear on the public pages.

Session states::

    draft ─publish─▶ published ─cancel─▶ cancelled (terminal)
    published ─withdraw─▶ draft

Co-organisers (universities, training institutions, associations, members) are directory
organisations; their users see and manage only the sessions they co-organise.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


class SeriesKind(models.TextChoices):
    MONTHLY_TALK = "monthly_talk", _("Monthly commodity talk")
    TRAINING = "training", _("Training series")


class Audience(models.TextChoices):
    ANALYSTS = "analysts", _("Futures analysts")
    INDUSTRY_CLIENTS = "industry_clients", _("Industry clients")
    INSTITUTIONS = "institutions", _("Institutions")
    INDIVIDUALS = "individuals", _("Individual investors")
    ASSOCIATIONS_ENTERPRISES = "associations_enterprises", _("Industry associations and enterprises")
    MEMBERS_PRACTITIONERS = "members_practitioners", _("Members and practitioners")
    INSTITUTIONAL_INVESTORS = "institutional_investors", _("Institutional investors")

    @classmethod
    def for_kind(cls, kind: str) -> list[str]:
        """The audiences the seed names for a series kind."""
        if kind == SeriesKind.MONTHLY_TALK:
            return [cls.ANALYSTS, cls.INDUSTRY_CLIENTS, cls.INSTITUTIONS, cls.INDIVIDUALS]
        return [cls.ASSOCIATIONS_ENTERPRISES, cls.MEMBERS_PRACTITIONERS, cls.INSTITUTIONAL_INVESTORS]


class TopicType(models.TextChoices):
    INDUSTRY_RESEARCH = "industry_research", _("Industry research")
    MARKET_OUTLOOK = "market_outlook", _("Market outlook")
    NEW_BUSINESS = "new_business", _("New business")
    EXCHANGE_PROJECTS = "exchange_projects", _("Exchange projects and activities")


class Slot(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")


# Half-day slots in Asia/Shanghai: (start, end).
SLOT_TIMES = {
    Slot.MORNING: (datetime.time(9, 0), datetime.time(12, 0)),
    Slot.AFTERNOON: (datetime.time(13, 30), datetime.time(17, 0)),
}


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("On site and online")

    @classmethod
    def with_venue(cls) -> frozenset[str]:
        return frozenset({cls.ON_SITE, cls.HYBRID})

    @classmethod
    def with_platform(cls) -> frozenset[str]:
        return frozenset({cls.ONLINE, cls.HYBRID})


class SessionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("session", "Published")
    CANCELLED = "cancelled", pgettext_lazy("session", "Cancelled")

    @classmethod
    def public(cls) -> frozenset[str]:
        """States shown on the public pages."""
        return frozenset({cls.PUBLISHED})

    @classmethod
    def editable(cls) -> frozenset[str]:
        return frozenset({cls.DRAFT, cls.PUBLISHED})


TRANSITIONS: dict[str, frozenset[str]] = {
    SessionState.DRAFT: frozenset({SessionState.PUBLISHED}),
    SessionState.PUBLISHED: frozenset({SessionState.DRAFT, SessionState.CANCELLED}),
    SessionState.CANCELLED: frozenset(),
}

# Organisation kinds that may co-organise a session.
CO_ORGANISER_KINDS = ("university", "training_institution", "industry_association", "futures_company")


class Series(models.Model):
    """One programme of one year: the monthly talk, or a training programme."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=SeriesKind.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    offer_working_days = models.PositiveSmallIntegerField(
        _("working days to confirm an offered seat"),
        default=1,
        help_text=_("A seat offered from the waiting list must be confirmed by the end of this working day."),
    )
    # --- followup (reminders and survey, issue #11 points 9–10) ---
    reminder_working_days = models.PositiveSmallIntegerField(
        _("working days before a session to remind participants"), default=2
    )
    staff_reminder_working_days = models.PositiveSmallIntegerField(
        _("working days before a session to remind staff of open tasks"), default=5
    )
    survey_working_days = models.PositiveSmallIntegerField(
        _("working days after a session the survey stays open"), default=10
    )
    speaker_reminder_working_days = models.PositiveSmallIntegerField(
        _("working days before the reply date to remind an invited speaker"),
        default=1,
        help_text=_("0: remind only on the reply date itself."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.UniqueConstraint(fields=["year", "title_zh"], name="events_series_unique_year_title"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="events_series_year_range"),
        ]

    def __str__(self) -> str:
        return self.title_zh

    def get_absolute_url(self) -> str:
        return reverse("events:series_plan", args=[self.pk])


class SpeakerKind(models.TextChoices):
    EXPERT = "expert", _("Industry expert")
    MEMBER_ANALYST = "member_analyst", _("Member analyst")
    LECTURER = "lecturer", _("In-house lecturer")


class Speaker(models.Model):
    """A speaker of the pool: industry expert, member analyst (linked to their member company in
    the directory, and optionally to their user account) or in-house lecturer. Invitations go to
    ``contact_email`` (else the linked account's e-mail); see ``SpeakerInvitation``."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.EXPERT)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_speakers",
        verbose_name=_("member company"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_speaker",
        verbose_name=_("user account"),
    )
    contact_email = models.EmailField(_("e-mail"), blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    topics = models.CharField(pgettext_lazy("speaker", "topics"), max_length=300, blank=True)
    products = models.ManyToManyField(
        "products.Product", blank=True, related_name="event_speakers", verbose_name=_("products")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="member_analyst") | Q(organisation__isnull=False),
                name="events_speaker_analyst_has_company",
            ),
        ]

    def __str__(self) -> str:
        return " · ".join(part for part in (self.name, self.organisation_name) if part)

    def get_absolute_url(self) -> str:
        return reverse("events:speaker_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("events:public_speaker", args=[self.pk])

    @property
    def affiliation(self) -> str:
        """The member company's name for an analyst (load ``organisation`` with the speaker),
        the organisation as typed otherwise."""
        return self.organisation.name_zh if self.organisation_id else self.organisation_name

    @property
    def email(self) -> str:
        """Where invitations go: the speaker's own address, else their account's."""
        return self.contact_email or (self.user.email if self.user_id else "")


class Session(models.Model):
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("series"))
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    slot = models.CharField(_("half day"), max_length=10, choices=Slot.choices, default=Slot.AFTERNOON)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    room = models.CharField(_("room"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    platform = models.CharField(_("platform"), max_length=100, blank=True)
    link = models.URLField(
        pgettext_lazy("online meeting", "link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to people registered for the session."),
    )
    topic_type = models.CharField(_("topic type"), max_length=20, choices=TopicType.choices)
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    programme = models.TextField(_("programme"), blank=True)
    products = models.ManyToManyField(
        "products.Product", blank=True, related_name="event_sessions", verbose_name=_("products")
    )
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions", verbose_name=_("speakers"))
    co_organisers = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="event_sessions", verbose_name=_("co-organisers")
    )
    requires_approval = models.BooleanField(
        _("registrations need approval"), default=False, help_text=_("Staff confirm each registration.")
    )
    # --- registration (seats per audience and per company, issue #11 point 3) ---
    audience_quotas = models.JSONField(
        _("seats per audience"),
        default=dict,
        blank=True,
        help_text=_("Seats reserved for an audience; audiences without a quota share the remaining seats."),
    )
    company_seat_limit = models.PositiveIntegerField(
        _("seats per company"),
        null=True,
        blank=True,
        help_text=_("At most this many people of one organisation hold a seat. Empty: no limit."),
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the seats are taken, later sign-ups wait for a seat; otherwise they are refused."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True, help_text=_("Empty: when the session starts.")
    )
    state = models.CharField(_("state"), max_length=10, choices=SessionState.choices, default=SessionState.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "slot", "pk"]
        verbose_name = pgettext_lazy("event", "session")
        verbose_name_plural = pgettext_lazy("event", "sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False), name="events_session_published_at_set"
            ),
            models.CheckConstraint(
                condition=Q(mode="online") | Q(capacity__gte=1), name="events_session_venue_has_capacity"
            ),
            models.CheckConstraint(
                condition=Q(mode="on_site") | ~Q(platform=""), name="events_session_online_has_platform"
            ),
        ]
        indexes = [models.Index(fields=["state", "date"], name="events_session_state_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("events:session_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("events:public_detail", args=[self.pk])

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, SLOT_TIMES[self.slot][0], tzinfo=SHANGHAI)

    @property
    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, SLOT_TIMES[self.slot][1], tzinfo=SHANGHAI)

    @property
    def is_public(self) -> bool:
        """Shown on the public pages."""
        return self.state in SessionState.public()

    @property
    def has_venue(self) -> bool:
        return self.mode in Mode.with_venue()

    @property
    def is_online(self) -> bool:
        return self.mode in Mode.with_platform()

    @property
    def closes_at(self) -> datetime.datetime:
        """When registration closes (the session's start unless set earlier)."""
        return self.registration_closes_at or self.starts_at

    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences if a in Audience.values]

    def audience_choices(self) -> list[tuple[str, str]]:
        """(value, label) of the audiences one registers as (registration form)."""
        return [(a, str(Audience(a).label)) for a in self.audiences if a in Audience.values]


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("Seat offered")
    REFUSED = "refused", _("Refused")
    EXPIRED = "expired", _("Offer expired")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")

    @classmethod
    def active(cls) -> frozenset[str]:
        """A person holds at most one active registration per session (database constraint)."""
        return frozenset({cls.PENDING, cls.CONFIRMED, cls.WAITLISTED, cls.OFFERED})

    @classmethod
    def seated(cls) -> frozenset[str]:
        """States that take a seat of the session's capacity (an offered seat is held)."""
        return frozenset({cls.CONFIRMED, cls.OFFERED})


REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RegistrationState.PENDING: frozenset(
        {
            RegistrationState.CONFIRMED,
            RegistrationState.WAITLISTED,
            RegistrationState.REFUSED,
            RegistrationState.CANCELLED,
        }
    ),
    RegistrationState.CONFIRMED: frozenset({RegistrationState.CANCELLED}),
    RegistrationState.WAITLISTED: frozenset({RegistrationState.OFFERED, RegistrationState.CANCELLED}),
    RegistrationState.OFFERED: frozenset(
        {RegistrationState.CONFIRMED, RegistrationState.EXPIRED, RegistrationState.CANCELLED}
    ),
    RegistrationState.REFUSED: frozenset(),
    RegistrationState.EXPIRED: frozenset(),
    RegistrationState.CANCELLED: frozenset(),
}


class Registration(models.Model):
    """One person's registration for one session, made by the person or by a colleague of the
    same member company (``registered_by``). Seats are counted over ``RegistrationState.seated``."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="registrations", verbose_name=pgettext_lazy("event", "session")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="event_registrations",
        verbose_name=_("participant"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    state = models.CharField(_("state"), max_length=12, choices=RegistrationState.choices)
    # --- registration: the audience the person registers as (blank: not asked, before quotas) ---
    audience = models.CharField(_("registers as"), max_length=30, choices=Audience.choices, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(state__in=["pending", "confirmed", "waitlisted", "offered"]),
                name="events_registration_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(state="offered") | Q(offer_expires_at__isnull=False),
                name="events_registration_offer_has_deadline",
            ),
        ]
        indexes = [
            # The waiting list in line order (the head is one index step, not a sort of the list).
            models.Index(fields=["session", "state", "created_at", "id"], name="events_reg_session_line"),
            # The seats held, counted under the session lock by every sign-up: only the seated
            # rows (at most the capacity), however long the waiting list grows.
            models.Index(
                fields=["session", "audience", "organisation"],
                condition=Q(state__in=["confirmed", "offered"]),
                name="events_reg_seated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"

    @property
    def is_active(self) -> bool:
        return self.state in RegistrationState.active()

    @property
    def is_pending(self) -> bool:
        return self.state == RegistrationState.PENDING

    @property
    def is_offered(self) -> bool:
        return self.state == RegistrationState.OFFERED


class CheckIn(models.Model):
    """The one check-in of a registration (a second scan finds this row and says so)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="check_in", verbose_name=_("registration")
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    desk = models.CharField(_("desk"), max_length=40)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("checked in by")
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.registration} @ {self.checked_in_at:%H:%M}"


# The plain session fields the services and forms edit (relations apart).
SESSION_FIELDS = (
    "title",
    "date",
    "slot",
    "mode",
    "room",
    "address",
    "capacity",
    "platform",
    "link",
    "topic_type",
    "audiences",
    "programme",
    "requires_approval",
    "registration_closes_at",
    "audience_quotas",
    "company_seat_limit",
    "waiting_list",
)


# --- followup ---


class SurveyResponse(models.Model):
    """One attendee's answer to the satisfaction survey of a session: one per registration
    (database constraint). The questions are ``huifu.events.services.surveys.QUESTIONS``."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="survey_response", verbose_name=_("registration")
    )
    overall = models.PositiveSmallIntegerField(pgettext_lazy("survey", "overall"))
    content = models.PositiveSmallIntegerField(pgettext_lazy("survey", "content"))
    speaker = models.PositiveSmallIntegerField(pgettext_lazy("survey", "speakers"))
    organisation = models.PositiveSmallIntegerField(pgettext_lazy("survey", "organisation"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5)
                & Q(content__gte=1, content__lte=5)
                & Q(speaker__gte=1, speaker__lte=5)
                & Q(organisation__gte=1, organisation__lte=5),
                name="events_survey_ratings_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.overall}"


class ReminderKind(models.TextChoices):
    PARTICIPANT = "participant", _("Reminder to a participant")
    STAFF = "staff", _("Open tasks reminder to staff")
    SURVEY = "survey", _("Survey invitation")


class SessionReminder(models.Model):
    """A reminder or survey invitation sent (e-mail through the outbox, and shown in the app).
    The unique key makes the periodic ``events_reminders`` idempotent: one per kind, session,
    recipient and session date (a session moved to another day is reminded again)."""

    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="reminders", verbose_name=pgettext_lazy("event", "session")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("registration"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_reminders", verbose_name=_("recipient")
    )
    session_date = models.DateField(_("session date"))
    tasks = models.JSONField(_("open tasks"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "session", "recipient", "session_date"], name="events_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(kind="staff") | Q(registration__isnull=False), name="events_reminder_participant_has_reg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.session} · {self.recipient}"


# --- speakers ---


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Awaiting reply")
    ACCEPTED = "accepted", pgettext_lazy("speaker invitation", "Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("No reply in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def active(cls) -> frozenset[str]:
        """A speaker holds at most one active invitation per session (database constraint)."""
        return frozenset({cls.PENDING, cls.ACCEPTED})

    @classmethod
    def answered(cls) -> frozenset[str]:
        return frozenset({cls.ACCEPTED, cls.DECLINED})


INVITATION_TRANSITIONS: dict[str, frozenset[str]] = {
    InvitationState.PENDING: frozenset(
        {InvitationState.ACCEPTED, InvitationState.DECLINED, InvitationState.EXPIRED, InvitationState.WITHDRAWN}
    ),
    InvitationState.ACCEPTED: frozenset(),
    InvitationState.DECLINED: frozenset(),
    InvitationState.EXPIRED: frozenset(),
    InvitationState.WITHDRAWN: frozenset(),
}


class SpeakerInvitation(models.Model):
    """An invitation of a pool speaker to talk at a session, answered by ``reply_by`` (the end of a
    working day, Asia/Shanghai). Accepting adds the speaker to the session's speakers.

    States::

        pending ─accept─▶ accepted
        pending ─decline─▶ declined
        pending ─(deadline passes, events_speaker_reminders)─▶ expired
        pending ─withdraw (staff)─▶ withdrawn

    ``reminded_at`` / ``deadline_reminded_at`` mark the two reminders (set once, by a
    conditional UPDATE, so a second run of the command sends nothing twice). ``nonce`` goes
    into the signed answer link (``huifu.events.invitation_links``)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="speaker_invitations",
        verbose_name=pgettext_lazy("event", "session"),
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("speaker")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    message = models.TextField(_("message to the speaker"), blank=True)
    reply_by = models.DateTimeField(_("reply by"))
    state = models.CharField(
        _("state"), max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING
    )
    reply_note = models.TextField(_("speaker's note"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
        help_text=_("Empty when the speaker answered through the link in the e-mail."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    nonce = models.CharField(max_length=32)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    deadline_reminded_at = models.DateTimeField(_("deadline reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("speaker invitation")
        verbose_name_plural = _("speaker invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "speaker"],
                condition=Q(state__in=["pending", "accepted"]),
                name="events_invitation_one_active_per_speaker",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["accepted", "declined"], replied_at__isnull=False)
                | (~Q(state__in=["accepted", "declined"]) & Q(replied_at__isnull=True)),
                name="events_invitation_replied_iff_answered",
            ),
            models.CheckConstraint(
                condition=Q(state="pending", closed_at__isnull=True)
                | (~Q(state="pending") & Q(closed_at__isnull=False)),
                name="events_invitation_closed_iff_not_pending",
            ),
        ]
        indexes = [models.Index(fields=["state", "reply_by"], name="events_invitation_state_due")]

    def __str__(self) -> str:
        return f"{self.speaker.name} · {self.session}"

    @property
    def is_pending(self) -> bool:
        return self.state == InvitationState.PENDING


# --- desk ---


class ScanOutcome(models.TextChoices):
    CHECKED_IN = "checked_in", _("checked in")
    ALREADY = "already", _("already checked in")


class DeskScan(models.Model):
    """One accepted scan sent by a desk with the id the desk gave it (a UUID made in the browser).
    A desk that lost its connection queues scans and sends them later, perhaps twice: the same id
    again answers with the result stored here, and never records a second check-in."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="desk_scans", verbose_name=_("session"))
    client_scan_id = models.UUIDField(_("scan id"))
    desk = models.CharField(_("desk"), max_length=40)
    scanned_at = models.DateTimeField(_("scanned at"))
    received_at = models.DateTimeField(_("received at"))
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="desk_scans", verbose_name=_("registration")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=ScanOutcome.choices)
    # The answer as first given (a resend repeats it even if an earlier scan arrived since).
    answer_checked_in_at = models.DateTimeField(_("check-in time answered"))
    answer_desk = models.CharField(_("check-in desk answered"), max_length=40)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("scanned by")
    )

    class Meta:
        verbose_name = _("desk scan")
        verbose_name_plural = _("desk scans")
        constraints = [
            models.UniqueConstraint(fields=["session", "client_scan_id"], name="events_deskscan_one_per_scan_id"),
        ]

    def __str__(self) -> str:
        return f"{self.client_scan_id} @ {self.desk}"


# --- materials ---
#
# Slides, recordings and handouts of a session. A material is published only after a compliance
# review by a staff reviewer who is not its uploader:
#
#     draft ─submit─▶ submitted ─approve─▶ approved (published to its audience)
#                         └─return (reason)─▶ returned ─submit─▶ submitted
#     any state but withdrawn ─withdraw─▶ withdrawn (terminal; gone from pages, files and API)


class MaterialKind(models.TextChoices):
    SLIDES = "slides", _("Slides")
    RECORDING = "recording", _("Recording")
    HANDOUT = "handout", _("Handout")


class MaterialAudience(models.TextChoices):
    PUBLIC = "public", _("Everyone (public page)")
    REGISTERED = "registered", _("Confirmed participants of the session")
    MEMBERS = "members", _("Member company users only")


class MaterialState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("material", "Draft")
    SUBMITTED = "submitted", _("Awaiting compliance review")
    APPROVED = "approved", _("Approved and published")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", pgettext_lazy("material", "Withdrawn")

    @classmethod
    def editable(cls) -> frozenset[str]:
        """The uploader may replace the file and change the title and audience."""
        return frozenset({cls.DRAFT, cls.RETURNED})


MATERIAL_TRANSITIONS: dict[str, frozenset[str]] = {
    MaterialState.DRAFT: frozenset({MaterialState.SUBMITTED, MaterialState.WITHDRAWN}),
    MaterialState.SUBMITTED: frozenset({MaterialState.APPROVED, MaterialState.RETURNED, MaterialState.WITHDRAWN}),
    MaterialState.RETURNED: frozenset({MaterialState.SUBMITTED, MaterialState.WITHDRAWN}),
    MaterialState.APPROVED: frozenset({MaterialState.WITHDRAWN}),
    MaterialState.WITHDRAWN: frozenset(),
}


class ComplianceCheckItem(models.Model):
    """One line of the reviewer's compliance checklist: data staff edit; the first four items come
    with the migration that created the table (the ``compliance_checklist`` fixture holds the
    same). Every active item must be ticked to approve a material."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("compliance checklist item")
        verbose_name_plural = _("compliance checklist items")

    def __str__(self) -> str:
        return self.label_zh

    def label(self, language: str | None) -> str:
        return self.label_en if (language or "").startswith("en") and self.label_en else self.label_zh


class Material(models.Model):
    """A file (through ``huifu.files``) or, for a recording, a link to the platform's replay."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="materials", verbose_name=pgettext_lazy("event", "session")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("published to"), max_length=12, choices=MaterialAudience.choices)
    state = models.CharField(_("state"), max_length=10, choices=MaterialState.choices, default=MaterialState.DRAFT)
    file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("file")
    )
    link = models.URLField(_("replay link"), max_length=500, blank=True)
    # The automatic pre-check's hints for the reviewer (see ``huifu.events.material_checks``).
    precheck = models.JSONField(_("automatic pre-check"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("compliance", "reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # The checklist as the reviewer saw and ticked it: [{"code", "label", "ticked"}].
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["session", "kind", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file__isnull=False) & Q(link=""))
                | (Q(file__isnull=True) & ~Q(link="") & Q(kind="recording")),
                name="events_material_file_or_replay_link",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("uploaded_by")),
                name="events_material_not_reviewed_by_uploader",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | (Q(reviewed_by__isnull=False) & Q(published_at__isnull=False)),
                name="events_material_approved_is_reviewed",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | (Q(reviewed_by__isnull=False) & ~Q(review_note="")),
                name="events_material_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state="withdrawn") | Q(withdrawn_at__isnull=True),
                name="events_material_withdrawn_at_only_when_withdrawn",
            ),
        ]
        indexes = [models.Index(fields=["session", "state"], name="events_material_session_state")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:material_detail", args=[self.pk])

    def get_download_url(self) -> str:
        """The file (or the replay link) as handed to those who may see the material."""
        return self.link or reverse("events:material_download", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == MaterialState.APPROVED


# --- attendance ---


DEFAULT_ATTENDANCE_PERCENT = 60


class AttendanceRule(models.Model):
    """The online attendance rule staff set for a series (all its sessions) or one session
    (overrides the series): present for at least ``min_percent`` % of the scheduled length.
    A session's rule is stamped on its ``AttendanceResult`` at its first import; changing the
    rule later does not re-decide sessions already stamped."""

    series = models.OneToOneField(
        Series,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance_rule",
        verbose_name=_("series"),
    )
    session = models.OneToOneField(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance_rule",
        verbose_name=pgettext_lazy("event", "session"),
    )
    min_percent = models.PositiveSmallIntegerField(
        _("minimum share of the session (%)"),
        help_text=_("Present online for at least this share of the scheduled time."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        verbose_name = _("attendance rule")
        verbose_name_plural = _("attendance rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(series__isnull=False) & Q(session__isnull=True))
                | (Q(series__isnull=True) & Q(session__isnull=False)),
                name="events_attrule_series_xor_session",
            ),
            models.CheckConstraint(
                condition=Q(min_percent__gte=1) & Q(min_percent__lte=100), name="events_attrule_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"≥ {self.min_percent} % · {self.session or self.series}"


class AttendanceMapping(models.Model):
    """Which column of a platform's participant export holds which field, remembered per platform
    (the platform's name as staff type it, compared without case and spaces)."""

    platform_key = models.CharField(max_length=100, unique=True)
    platform = models.CharField(_("platform"), max_length=100)
    columns = models.JSONField(_("columns"), default=dict)  # {field: header text}
    time_format = models.CharField(_("time format"), max_length=10)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        ordering = ["platform"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return self.platform

    @staticmethod
    def key_for(platform: str) -> str:
        return "".join((platform or "").split()).lower()[:100]


class AttendanceImportState(models.TextChoices):
    DRAFT = "draft", _("Preview (not imported)")
    APPLIED = "applied", _("In force")
    SUPERSEDED = "superseded", _("Replaced by a later import")


class AttendanceImport(models.Model):
    """One uploaded participant export of one session. A ``draft`` holds the file's lines for
    the preview and the column mapping and changes nothing; confirming applies it (one ``applied``
    import per session: a corrected file supersedes the previous one, which stays as history)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="attendance_imports",
        verbose_name=pgettext_lazy("event", "session"),
    )
    state = models.CharField(_("state"), max_length=12, choices=AttendanceImportState.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    platform = models.CharField(_("platform"), max_length=100, blank=True)
    lines = models.JSONField(default=list)  # the file's non-empty lines, cells as text
    line_numbers = models.JSONField(default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    fingerprint = models.CharField(max_length=32, blank=True)
    lines_read = models.PositiveIntegerField(_("lines read"), default=0)
    lines_matched = models.PositiveIntegerField(_("lines matched"), default=0)
    lines_skipped = models.PositiveIntegerField(_("lines with problems"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)  # [{"line", "field", "message"}]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(state="applied"), name="events_attimport_one_applied_per_session"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(applied_at__isnull=False), name="events_attimport_applied_at_set"
            ),
            models.CheckConstraint(
                condition=~Q(state="superseded") | Q(superseded_at__isnull=False),
                name="events_attimport_superseded_at_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} · {self.session}"


class AttendanceResult(models.Model):
    """A session's online attendance: the rule stamped at its first import (kept when the rule
    changes later) and the import in force."""

    session = models.OneToOneField(
        Session,
        on_delete=models.PROTECT,
        related_name="attendance_result",
        verbose_name=pgettext_lazy("event", "session"),
    )
    min_percent = models.PositiveSmallIntegerField(_("minimum share of the session (%)"))
    rule_source = models.CharField(_("rule from"), max_length=10)  # "session", "series" or "default"
    scheduled_seconds = models.PositiveIntegerField(_("scheduled length (seconds)"))
    stamped_at = models.DateTimeField(_("rule stamped at"))
    current_import = models.OneToOneField(
        AttendanceImport, on_delete=models.PROTECT, related_name="+", verbose_name=_("import in force")
    )

    class Meta:
        verbose_name = _("attendance result")
        verbose_name_plural = _("attendance results")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_percent__gte=1) & Q(min_percent__lte=100), name="events_attresult_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · ≥ {self.min_percent} %"


class AttendanceRecord(models.Model):
    """Seconds present online of one confirmed registration according to one import (merged
    intervals, never double-counted); ``attended`` is the stamped rule applied to
    ``seconds_in_schedule``. The records of the session's ``applied`` import are in force."""

    attendance_import = models.ForeignKey(
        AttendanceImport, on_delete=models.PROTECT, related_name="records", verbose_name=_("attendance import")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="attendance_records", verbose_name=_("registration")
    )
    seconds_present = models.PositiveIntegerField(_("seconds present"))
    seconds_in_schedule = models.PositiveIntegerField(_("seconds present in the scheduled time"))
    attended = models.BooleanField(_("attended online"))
    intervals = models.JSONField(_("time present"), default=list, blank=True)  # [[HH:MM:SS, HH:MM:SS]]
    lines = models.JSONField(_("file lines"), default=list, blank=True)

    class Meta:
        ordering = ["registration_id"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(
                fields=["attendance_import", "registration"], name="events_attrecord_one_per_import"
            ),
            models.CheckConstraint(
                condition=Q(seconds_in_schedule__lte=models.F("seconds_present")),
                name="events_attrecord_schedule_within_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.seconds_present} s"

    @property
    def minutes_present(self) -> int:
        return self.seconds_present // 60

    @property
    def minutes_in_schedule(self) -> int:
        return self.seconds_in_schedule // 60
