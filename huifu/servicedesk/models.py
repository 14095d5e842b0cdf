"""Member Voice feedback (会员之声反馈): forms, their items, department answers, replies,
topics with collective answers, and satisfaction ratings.

State machines (see ``FORM_TRANSITIONS``)::

    draft ─▶ submitted ─▶ in_progress ─▶ reply_drafted ─▶ replied ─▶ closed
                 │  ▲           │  ▲            │
                 ▼  │           ▼  │            └─▶ in_progress (reply sent back for changes)
             waiting_member ◀───┘  (clock paused until the member answers)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_MEMBER = "waiting_member", _("Waiting for the member")
    REPLY_DRAFTED = "reply_drafted", _("Reply drafted")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")

    @classmethod
    def open_group(cls) -> tuple[str, ...]:
        return (cls.SUBMITTED, cls.IN_PROGRESS, cls.WAITING_MEMBER, cls.REPLY_DRAFTED)

    @classmethod
    def answered(cls) -> tuple[str, ...]:
        return (cls.REPLIED, cls.CLOSED)


FORM_TRANSITIONS: dict[str, frozenset[str]] = {
    FormStatus.DRAFT: frozenset({FormStatus.SUBMITTED}),
    FormStatus.SUBMITTED: frozenset(
        {FormStatus.IN_PROGRESS, FormStatus.WAITING_MEMBER, FormStatus.REPLY_DRAFTED, FormStatus.REPLIED}
    ),
    FormStatus.IN_PROGRESS: frozenset({FormStatus.WAITING_MEMBER, FormStatus.REPLY_DRAFTED, FormStatus.REPLIED}),
    FormStatus.WAITING_MEMBER: frozenset({FormStatus.IN_PROGRESS}),
    FormStatus.REPLY_DRAFTED: frozenset({FormStatus.IN_PROGRESS, FormStatus.REPLIED, FormStatus.REPLY_DRAFTED}),
    FormStatus.REPLIED: frozenset({FormStatus.CLOSED}),
    FormStatus.CLOSED: frozenset(),
}


class Channel(models.TextChoices):
    PORTAL = "portal", _("Member portal")
    DOCX = "docx", _("Word form")
    EMAIL = "email", _("E-mail")
    STAFF = "staff", _("Entered by staff")


class ItemKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")
    HELP_REQUEST = "help_request", _("Help request")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    ANSWER_DRAFTED = "answer_drafted", _("Answer drafted")
    REPLIED = "replied", _("Replied")
    COLLECTIVE = "collective", _("Answered collectively")

    @classmethod
    def answered(cls) -> tuple[str, ...]:
        return (cls.REPLIED, cls.COLLECTIVE)


class SerialCounter(models.Model):
    """The last serial number given to an organisation's forms in a year; locked while one is taken."""

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="servicedesk_one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class FeedbackForm(models.Model):
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="feedback_forms", verbose_name=_("company")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"), null=True, blank=True)
    # The 编号 the company wrote on its own form ("003"), kept as written beside Huifu's serial.
    member_number = models.CharField(_("company's own number"), max_length=10, blank=True)
    # Empty only on a draft read from a document that did not give them (see intake_report).
    form_date = models.DateField(_("form date"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=80, blank=True)
    phone = models.CharField(pgettext_lazy("feedback form", "phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    seal_scan = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company seal (scan)"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    status = models.CharField(
        _("status"), max_length=20, choices=FormStatus.choices, default=FormStatus.DRAFT, db_index=True
    )
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    idempotency_key = models.CharField(max_length=64, blank=True)
    source_file = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The .docx or .eml this form was read from, if any.",
    )
    # What was read from the .docx or e-mail, field by field (huifu.intake.wordparse.ParsedForm.report):
    # {"fields": [{"field", "status": read|missing|ambiguous, "seen", "value"}], "suggested": {field: value},
    #  "expected_serial": n}. Directory suggestions live here until staff accept them.
    intake_report = models.JSONField(_("what was read from the document"), default=dict, blank=True)
    pause_reason = models.CharField(_("question to the member"), max_length=500, blank=True)
    member_clarification = models.TextField(_("member's clarification"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "serial"], name="servicedesk_serial_unique"),
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="servicedesk_idempotency_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(serial__isnull=False) & Q(received_at__isnull=False)),
                name="servicedesk_serial_once_submitted",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(form_date__isnull=False) & ~Q(contact_name="") & ~Q(phone="") & ~Q(email="")),
                name="servicedesk_contact_complete_once_submitted",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-received_at"], name="servicedesk_org_received"),
            models.Index(fields=["-received_at", "-id"], name="servicedesk_received"),
            # Staff search finds a form by its contact person's full name (selectors.form_list).
            models.Index(fields=["contact_name"], name="servicedesk_contact_name"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}-{self.serial_display}"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:form_detail", args=[self.pk])

    @property
    def serial_display(self) -> str:
        return f"{self.serial:03d}" if self.serial else "—"

    @property
    def member_number_differs(self) -> bool:
        """The company's own 编号 is not the serial Huifu gave (or, on a draft, expects to give)."""
        expected = self.serial or (self.intake_report or {}).get("expected_serial")
        if not self.member_number or not expected:
            return False
        return not self.member_number.isdigit() or int(self.member_number) != int(expected)

    @property
    def expected_serial_display(self) -> str:
        expected = self.serial or (self.intake_report or {}).get("expected_serial")
        return f"{int(expected):03d}" if expected else "—"


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class AudienceKind(models.TextChoices):
    ALL_MEMBERS = "all_members", _("All members")
    ORGANISATIONS = "organisations", _("Chosen companies")


class AnswerMode(models.TextChoices):
    WRITTEN = "written", _("In writing")
    MEETING = "meeting", _("Online meeting")


class CollectiveAnswer(models.Model):
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="collective_answers", verbose_name=_("topic")
    )
    mode = models.CharField(_("form of answer"), max_length=16, choices=AnswerMode.choices, default=AnswerMode.WRITTEN)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    meeting_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    meeting_link = models.URLField(_("meeting link"), blank=True)
    audience_kind = models.CharField(
        _("audience"), max_length=16, choices=AudienceKind.choices, default=AudienceKind.ALL_MEMBERS
    )
    audience_organisations = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="+", verbose_name=_("companies")
    )
    notice = models.ForeignKey("notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published"))

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("collective answer")
        verbose_name_plural = _("collective answers")

    def __str__(self) -> str:
        return self.title


class FeedbackItem(models.Model):
    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    departments = models.ManyToManyField(
        "directory.Department", blank=True, related_name="+", verbose_name=_("departments")
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="items", verbose_name=_("topics"))
    linked = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("similar items"))
    collective_answer = models.ForeignKey(
        CollectiveAnswer, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    # Precomputed for similarity: jieba tokens (space separated) and the top keywords.
    tokens = models.TextField(blank=True, editable=False)
    keywords = models.CharField(max_length=200, blank=True, editable=False)
    # Denormalised for fast lists (the queue, the member's list): copied from the form.
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "kind", "number"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        constraints = [
            models.UniqueConstraint(fields=["form", "kind", "number"], name="servicedesk_item_number_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="servicedesk_item_org_status"),
            # A member's item list, newest first, reads only that company's rows (issue #9).
            models.Index(fields=["organisation", "-id"], name="servicedesk_item_org_newest"),
        ]
        # On PostgreSQL a GIN index over the jieba tokens serves text search (migration 0004,
        # ``search.ITEM_TOKENS_INDEX``): words, not substrings, so two-character words are found.

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:item_detail", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.status in ItemStatus.answered()


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the coordinator")


class DepartmentAnswer(models.Model):
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="answers")
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    text = models.TextField(_("answer"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.SUBMITTED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "department__sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "department"], name="servicedesk_one_answer_per_dept")]

    def __str__(self) -> str:
        return f"{self.item} · {self.department}"


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # Only in years whose ReplyLetterSetting asks for a second approver (待审批).
    PENDING_APPROVAL = "pending_approval", pgettext_lazy("reply status", "Awaiting approval")
    SENT = "sent", _("Approved and sent")


class ReplyLetterSetting(models.Model):
    """How written replies are issued in one year (a business knob, edited by staff in the admin):
    whether a second person must approve a reply before it goes out, and the prefix of the
    document number (文号) printed on the letter, e.g. 会服函〔2026〕12号. A year without a row
    sends on the first approval with the default prefix."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    second_approval = models.BooleanField(
        _("second approver required"),
        default=False,
        help_text=_("When on, a reply waits for a second person with the approval permission before it is sent."),
    )
    doc_prefix = models.CharField(
        _("document number prefix"),
        max_length=30,
        default="会服函",
        help_text=_("e.g. 会服函 gives 会服函〔2026〕12号."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reply letter setting")
        verbose_name_plural = _("reply letter settings")

    def __str__(self) -> str:
        return str(self.year)


class ReplyLetterPrefix(models.Model):
    """An issuing department's own document-number prefix in a year (e.g. Member Management
    会服函, the Market Services Centre 市服函): its letters are numbered in their own series,
    会服函〔2026〕12号 beside 市服函〔2026〕3号. A department without a row issues under the
    year's default prefix, in one series shared by all such departments, so no two letters of a
    year ever carry the same number. Edited by staff with the year's setting (admin inline)."""

    setting = models.ForeignKey(
        ReplyLetterSetting, on_delete=models.CASCADE, related_name="prefixes", verbose_name=_("year")
    )
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing department")
    )
    doc_prefix = models.CharField(
        _("document number prefix"), max_length=30, help_text=_("e.g. 会服函 gives 会服函〔2026〕12号.")
    )

    class Meta:
        ordering = ["setting", "department__sort_order", "pk"]
        verbose_name = _("department's document number prefix")
        verbose_name_plural = _("departments' document number prefixes")
        constraints = [
            models.UniqueConstraint(fields=["setting", "department"], name="servicedesk_one_prefix_per_dept_year"),
            models.UniqueConstraint(fields=["setting", "doc_prefix"], name="servicedesk_prefix_unique_in_year"),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.doc_prefix}"


class LetterCounter(models.Model):
    """The last document number of a series of reply letters in a year: an issuing department's
    own series (it has a ``ReplyLetterPrefix``), or, with no department, the year's shared default
    series. The row is locked (select_for_update) while a letter takes the next number, so numbers
    are gapless."""

    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="servicedesk_one_letter_counter_per_year"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(department__isnull=True), name="servicedesk_one_shared_counter_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.year}: {self.last}"


class Reply(models.Model):
    form = models.OneToOneField(FeedbackForm, on_delete=models.CASCADE, related_name="reply")
    mode = models.CharField(_("form of reply"), max_length=16, choices=AnswerMode.choices, default=AnswerMode.WRITTEN)
    status = models.CharField(_("status"), max_length=16, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT)
    text = models.TextField(_("reply text"))
    letter = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reply letter (PDF)"),
    )
    meeting_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    meeting_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    meeting_link = models.URLField(_("meeting link"), blank=True)
    attendees = models.TextField(_("exchange attendees"), blank=True)
    minutes = models.TextField(_("minutes of the meeting"), blank=True)
    ics = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calendar invitation"),
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The first approval in a year with a second approver: who asked for it, when.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(_("reason for return"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The letter's issuing department (the drafter's) and its document number (文号), given on sending.
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing department"),
    )
    doc_year = models.PositiveSmallIntegerField(null=True, blank=True)
    doc_serial = models.PositiveIntegerField(null=True, blank=True)
    doc_number = models.CharField(_("document number"), max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | (Q(sent_at__isnull=False) & Q(approved_by__isnull=False)),
                name="servicedesk_sent_reply_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending_approval") | Q(submitted_by__isnull=False),
                name="servicedesk_pending_reply_submitted",
            ),
            # One 文号 per letter: a series is a prefix (a department's own, or the year's shared
            # default), so the number itself is what must not repeat in a year.
            models.UniqueConstraint(
                fields=["doc_year", "doc_number"],
                condition=Q(doc_serial__isnull=False),
                name="servicedesk_unique_document_number",
            ),
            models.CheckConstraint(
                condition=~Q(mode="meeting") | Q(meeting_at__isnull=False), name="servicedesk_meeting_has_time"
            ),
        ]

    def __str__(self) -> str:
        return str(self.form)


class Satisfaction(models.Model):
    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="satisfaction")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="servicedesk_rating_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"


class ReportDimension(models.TextChoices):
    CHANNEL = "channel"
    DEPARTMENT = "department"
    TOPIC = "topic"


class ReportFigure(models.Model):
    """Service statistics of one receipt day (Asia/Shanghai) and one group (a channel, a department's
    name, a topic's name; "" for items without one), written only by ``reports.report_refresh``.
    The report page sums these rows instead of recounting every item on each request."""

    day = models.DateField()
    dimension = models.CharField(max_length=16, choices=ReportDimension.choices)
    key = models.CharField(max_length=200, blank=True)
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dimension", "day", "key"], name="servicedesk_one_figure_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension} {self.key}"


class ReportSnapshot(models.Model):
    """When the report figures were last recomputed (the page shows it as "as of")."""

    refreshed_at = models.DateTimeField(db_index=True)
    seconds = models.FloatField()

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"


class ReplyRead(models.Model):
    """A member user opened a sent reply (read marker, like the notices' read receipts): the home
    card counts the replies of the user's company that this user has not opened yet. One row per
    reply and user, written by ``reply_mark_read``; a company's reads never touch another's."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reply", "user"], name="servicedesk_reply_read_once")]

    def __str__(self) -> str:
        return f"{self.reply_id} · {self.user_id}"
