"""Educational works (投教作品) and the investor-education base (投资者教育基地).

A ``Work`` is an original work (article, video, course, comic, game, live stream) written by
exchange staff, a member company or external authors. Before publication it passes a compliance
review by a member of staff who is not its author (``WORK_TRANSITIONS``)::

    draft ──submit──▶ submitted ──start review──▶ in_review ──return──▶ returned ──submit──▶ …
                                                     └──approve──▶ approved ──publish──▶ published ──withdraw──▶ withdrawn

Each review decision is a ``ReviewDecision`` row (checklist as ticked, reason). Reach figures
(``ReachFigure``) are entered per month and channel for published works; the base's own visitor
figures per month are ``BaseMonthlyFigure`` rows. The dashboard (``dashboard.py``) reads both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkKind(models.TextChoices):
    ARTICLE = "article", pgettext_lazy("eduworks kind", "Article")
    VIDEO = "video", pgettext_lazy("eduworks kind", "Video")
    COURSE = "course", pgettext_lazy("eduworks kind", "Course")
    COMIC = "comic", pgettext_lazy("eduworks kind", "Comic")
    GAME = "game", pgettext_lazy("eduworks kind", "Game")
    LIVE = "live", pgettext_lazy("eduworks kind", "Live stream")


class WorkState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("eduworks state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("eduworks state", "Submitted for review")
    IN_REVIEW = "in_review", pgettext_lazy("eduworks state", "In review")
    RETURNED = "returned", pgettext_lazy("eduworks state", "Returned for revision")
    APPROVED = "approved", pgettext_lazy("eduworks state", "Approved")
    PUBLISHED = "published", pgettext_lazy("eduworks state", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("eduworks state", "Withdrawn")

    @classmethod
    def editable(cls) -> frozenset[str]:
        """The author may change the work."""
        return frozenset({cls.DRAFT, cls.RETURNED})

    @classmethod
    def waiting_review(cls) -> frozenset[str]:
        return frozenset({cls.SUBMITTED, cls.IN_REVIEW})

    @classmethod
    def once_published(cls) -> frozenset[str]:
        """Published now or before (reach figures, items published per month)."""
        return frozenset({cls.PUBLISHED, cls.WITHDRAWN})


WORK_TRANSITIONS: dict[str, frozenset[str]] = {
    WorkState.DRAFT: frozenset({WorkState.SUBMITTED}),
    WorkState.SUBMITTED: frozenset({WorkState.IN_REVIEW}),
    WorkState.IN_REVIEW: frozenset({WorkState.RETURNED, WorkState.APPROVED}),
    WorkState.RETURNED: frozenset({WorkState.SUBMITTED}),
    WorkState.APPROVED: frozenset({WorkState.PUBLISHED}),
    WorkState.PUBLISHED: frozenset({WorkState.WITHDRAWN}),
    WorkState.WITHDRAWN: frozenset(),
}


class Channel(models.TextChoices):
    WEBSITE = "website", pgettext_lazy("eduworks channel", "Website")
    WECHAT = "wechat", pgettext_lazy("eduworks channel", "WeChat official account")
    VIDEO = "video", pgettext_lazy("eduworks channel", "Video platform")
    APP = "app", pgettext_lazy("eduworks channel", "Mobile app")
    ON_SITE = "on_site", pgettext_lazy("eduworks channel", "On site (the base)")
    OTHER = "other", pgettext_lazy("eduworks channel", "Other channel")


class Audience(models.TextChoices):
    INDIVIDUAL = "individual", pgettext_lazy("eduworks audience", "Individual investors")
    STUDENTS = "students", pgettext_lazy("eduworks audience", "Students")
    INDUSTRY = "industry", pgettext_lazy("eduworks audience", "Industry clients")
    INSTITUTIONS = "institutions", pgettext_lazy("eduworks audience", "Institutional investors")
    PRACTITIONERS = "practitioners", pgettext_lazy("eduworks audience", "Practitioners")
    PUBLIC = "public", pgettext_lazy("eduworks audience", "General public")


class Licence(models.TextChoices):
    OWNED = "owned", pgettext_lazy("eduworks licence", "Copyright owned")
    EXCLUSIVE = "exclusive", pgettext_lazy("eduworks licence", "Exclusive licence")
    NON_EXCLUSIVE = "non_exclusive", pgettext_lazy("eduworks licence", "Non-exclusive licence")


class AuthorKind(models.TextChoices):
    STAFF = "staff", pgettext_lazy("eduworks author", "Exchange staff")
    MEMBER = "member", pgettext_lazy("eduworks author", "Member company")
    EXTERNAL = "external", pgettext_lazy("eduworks author", "External author")


class BaseKind(models.TextChoices):
    PHYSICAL = "physical", pgettext_lazy("eduworks base", "Physical base")
    ONLINE = "online", pgettext_lazy("eduworks base", "Online base")


class Work(models.Model):
    # The company that submitted the work (its users see it in every state); empty: the exchange's own.
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="edu_works",
        verbose_name=pgettext_lazy("eduworks", "submitted by company"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=WorkKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000)
    products = models.ManyToManyField(
        "products.Product", blank=True, related_name="edu_works", verbose_name=_("products")
    )
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    link = models.URLField(pgettext_lazy("eduworks", "online address"), max_length=500, blank=True)
    # --- rights ---
    rights_owner = models.CharField(pgettext_lazy("eduworks", "rights owner"), max_length=200)
    licence = models.CharField(
        pgettext_lazy("eduworks", "licence"), max_length=16, choices=Licence.choices, default=Licence.OWNED
    )
    rights_until = models.DateField(
        pgettext_lazy("eduworks", "rights valid until"),
        null=True,
        blank=True,
        help_text=pgettext_lazy("eduworks", "Empty: without end."),
    )
    third_party_cleared = models.BooleanField(pgettext_lazy("eduworks", "third-party material cleared"), default=False)
    third_party_note = models.TextField(pgettext_lazy("eduworks", "note on third-party material"), blank=True)
    # --- workflow ---
    state = models.CharField(_("state"), max_length=10, choices=WorkState.choices, default=WorkState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("compliance", "reviewed by"),
    )
    channel = models.CharField(
        pgettext_lazy("eduworks", "publication channel"), max_length=10, choices=Channel.choices, blank=True
    )
    published_on = models.DateField(pgettext_lazy("eduworks", "publication date"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = pgettext_lazy("eduworks", "educational work")
        verbose_name_plural = pgettext_lazy("eduworks", "educational works")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=WorkState.values), name="eduworks_work_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=WorkKind.values), name="eduworks_work_kind_valid"),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=F("created_by")),
                name="eduworks_work_not_reviewed_by_creator",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | Q(submitted_by__isnull=True) | ~Q(reviewer=F("submitted_by")),
                name="eduworks_work_not_reviewed_by_submitter",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["in_review", "returned", "approved", "published", "withdrawn"])
                | Q(reviewer__isnull=False),
                name="eduworks_work_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=(Q(state__in=["published", "withdrawn"]) & Q(published_on__isnull=False) & ~Q(channel=""))
                | (~Q(state__in=["published", "withdrawn"]) & Q(published_on__isnull=True)),
                name="eduworks_work_published_has_channel_and_date",
            ),
            models.CheckConstraint(
                condition=(Q(state="withdrawn") & Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason=""))
                | (~Q(state="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="eduworks_work_withdrawn_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "published_on"], name="eduworks_work_state_pub"),
            models.Index(fields=["organisation", "state"], name="eduworks_work_org_state"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("eduworks:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("eduworks_public:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in WorkState.editable()

    @property
    def is_published(self) -> bool:
        return self.state == WorkState.PUBLISHED

    @property
    def badge_class(self) -> str:
        if self.state in (WorkState.PUBLISHED, WorkState.APPROVED):
            return "badge-ok"
        if self.state in (WorkState.RETURNED, WorkState.WITHDRAWN):
            return "badge-bad"
        return "badge-warn"

    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences if a in Audience.values]

    def is_author(self, user: object) -> bool:
        """Wrote or submitted the work: may not review it."""
        pk = getattr(user, "pk", None)
        return pk is not None and pk in (self.created_by_id, self.submitted_by_id)


class WorkAuthor(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="authors", verbose_name=_("work"))
    kind = models.CharField(pgettext_lazy("eduworks", "author type"), max_length=10, choices=AuthorKind.choices)
    name = models.CharField(_("name"), max_length=100)
    affiliation = models.CharField(pgettext_lazy("eduworks", "affiliation"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["work_id", "order", "pk"]
        verbose_name = pgettext_lazy("eduworks", "author")
        verbose_name_plural = pgettext_lazy("eduworks", "authors")

    def __str__(self) -> str:
        return f"{self.name}（{self.affiliation}）" if self.affiliation else self.name


class WorkFile(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="files", verbose_name=_("work"))
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["work_id", "pk"]
        verbose_name = pgettext_lazy("eduworks", "work file")
        verbose_name_plural = pgettext_lazy("eduworks", "work files")
        constraints = [models.UniqueConstraint(fields=["work", "file"], name="eduworks_file_once")]

    def __str__(self) -> str:
        return str(self.file)


class ReviewCheckItem(models.Model):
    """One line of the compliance checklist (data; seeded by migration). Every active item must be
    ticked to approve a work."""

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


class ReviewOutcome(models.TextChoices):
    RETURNED = "returned", pgettext_lazy("eduworks review", "Returned for revision")
    APPROVED = "approved", pgettext_lazy("eduworks review", "Approved")


class ReviewDecision(models.Model):
    """One compliance decision on a work: the checklist as the reviewer ticked it and the reason."""

    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("work"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("compliance", "reviewed by"),
    )
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    note = models.TextField(_("review note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["work_id", "decided_at", "pk"]
        verbose_name = pgettext_lazy("eduworks", "review decision")
        verbose_name_plural = pgettext_lazy("eduworks", "review decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="returned") | ~Q(note=""), name="eduworks_decision_return_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work} · {self.get_outcome_display()}"


class ReachFigure(models.Model):
    """Reach of one work on one channel in one month (``month`` is its first day)."""

    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="reach", verbose_name=_("work"))
    month = models.DateField(_("month"))
    channel = models.CharField(pgettext_lazy("eduworks", "channel"), max_length=10, choices=Channel.choices)
    views = models.PositiveIntegerField(pgettext_lazy("eduworks", "views"), default=0)
    plays = models.PositiveIntegerField(pgettext_lazy("eduworks", "plays"), default=0)
    likes = models.PositiveIntegerField(pgettext_lazy("eduworks", "likes"), default=0)
    shares = models.PositiveIntegerField(pgettext_lazy("eduworks", "shares"), default=0)
    participants = models.PositiveIntegerField(pgettext_lazy("eduworks", "participants"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["work_id", "-month", "channel"]
        verbose_name = pgettext_lazy("eduworks", "reach figure")
        verbose_name_plural = pgettext_lazy("eduworks", "reach figures")
        constraints = [
            models.UniqueConstraint(fields=["work", "month", "channel"], name="eduworks_reach_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="eduworks_reach_month_first_day"),
            models.CheckConstraint(
                condition=Q(views__gte=0, plays__gte=0, likes__gte=0, shares__gte=0, participants__gte=0),
                name="eduworks_reach_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work} · {self.month:%Y-%m} · {self.get_channel_display()}"


class BaseMonthlyFigure(models.Model):
    """Visitors of the investor-education base in one month, entered by staff: the physical base
    (people through the door) and the online base (its website), one row each per month."""

    month = models.DateField(_("month"))
    base = models.CharField(pgettext_lazy("eduworks", "base"), max_length=10, choices=BaseKind.choices)
    visitors = models.PositiveIntegerField(pgettext_lazy("eduworks", "visitors"), default=0)
    visits = models.PositiveIntegerField(pgettext_lazy("eduworks", "visits"), default=0)
    surveyed = models.PositiveIntegerField(pgettext_lazy("eduworks", "people surveyed"), default=0)
    satisfied = models.PositiveIntegerField(pgettext_lazy("eduworks", "of whom satisfied"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["month", "base"]
        verbose_name = pgettext_lazy("eduworks", "base figure")
        verbose_name_plural = pgettext_lazy("eduworks", "base figures")
        constraints = [
            models.UniqueConstraint(fields=["month", "base"], name="eduworks_base_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="eduworks_base_month_first_day"),
            models.CheckConstraint(condition=Q(visits__gte=F("visitors")), name="eduworks_base_visits_ge_visitors"),
            models.CheckConstraint(
                condition=Q(satisfied__lte=F("surveyed")), name="eduworks_base_satisfied_le_surveyed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.get_base_display()}"
