"""The excellent analyst (team) selection (优秀分析师（团队）评选).

One ``Selection`` per year: its plan is published as a notice, its ``Phase`` windows (application,
material upload, scoring, expert review, publication) are data, and it has ``Category``s, each with
its judging panel (``PanelMember``), its rubric (a scheme of the awards engine, see
docs/selections.md), its quota formula and its blind / normalisation switches.

Member companies apply (``Application``: individual or team, one category each) with their roster
(``TeamMember``: certificate number, former employer); the company's admin confirms (the seal).
Judges keep an employment history (``JudgeEmployment``) and may declare relations
(``Declaration``); a match becomes a ``Conflict`` that recuses the judge at once until the chair
dismisses it. Scores (``Score``) are on the category's scale; results are versioned runs
(``ResultRun`` / ``ResultRow``) that store their method and inputs; winners are ``Award``s, which
may later be revoked (the row stays, with the reason)::

    application: draft ──submit──▶ submitted ──confirm (seal)──▶ confirmed
                   └───────────────────┴──withdraw──▶ withdrawn
    award:       awarded ──revoke──▶ revoked
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PhaseKind(models.TextChoices):
    APPLICATION = "application", pgettext_lazy("selection phase", "Application")
    UPLOAD = "upload", pgettext_lazy("selection phase", "Material upload")
    SCORING = "scoring", pgettext_lazy("selection phase", "Scoring")
    REVIEW = "review", pgettext_lazy("selection phase", "Expert review")
    PUBLICATION = "publication", pgettext_lazy("selection phase", "Publication")

    @classmethod
    def ordered(cls) -> list[str]:
        return [cls.APPLICATION, cls.UPLOAD, cls.SCORING, cls.REVIEW, cls.PUBLICATION]


class Selection(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organising department"),
    )
    plan_notice = models.ForeignKey(
        "notices.Notice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("selection", "plan notice"),
    )
    conflict_years = models.PositiveSmallIntegerField(
        pgettext_lazy("selection", "years an employment counts as a conflict"),
        default=3,
        help_text=_(
            "A judge who worked for the applicant's company (or a team member's former company) within these years is recused."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = pgettext_lazy("selection", "analyst selection")
        verbose_name_plural = pgettext_lazy("selection", "analyst selections")

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(pgettext_lazy("selection", "phase"), max_length=20, choices=PhaseKind.choices)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))

    class Meta:
        ordering = ["selection_id", "opens_at"]
        verbose_name = pgettext_lazy("selection", "phase")
        verbose_name_plural = pgettext_lazy("selection", "phases")
        constraints = [
            models.UniqueConstraint(fields=["selection", "kind"], name="selections_phase_once"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="selections_phase_window"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Rounding(models.TextChoices):
    FLOOR = "floor", pgettext_lazy("rounding", "Round down")
    CEIL = "ceil", pgettext_lazy("rounding", "Round up")
    HALF_UP = "half_up", pgettext_lazy("rounding", "Round half up")


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", pgettext_lazy("selection", "Individual")
    TEAM = "team", pgettext_lazy("selection", "Team")


class Category(models.Model):
    """One award category of a selection, with its judging rules as data."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("code"), max_length=20)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    applicant_kind = models.CharField(
        pgettext_lazy("selection", "who may apply"), max_length=12, choices=ApplicantKind.choices
    )
    scheme = models.ForeignKey(
        "awards.SchemeVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("selection", "rubric (evaluation scheme)"),
    )
    bonus_points_per_unit = models.DecimalField(
        pgettext_lazy("selection", "bonus points per talk or report"),
        max_digits=5,
        decimal_places=2,
        default=1,
        help_text=_(
            "A bonus item of the rubric whose code is a metric (analyst_talks, analyst_reports) grants this many points per talk or report, up to the item's cap."
        ),
    )
    blind = models.BooleanField(pgettext_lazy("selection", "blind judging"), default=False)
    normalise = models.BooleanField(pgettext_lazy("selection", "normalise each judge's scores"), default=False)
    normalise_min_scores = models.PositiveSmallIntegerField(
        pgettext_lazy("selection", "scores a judge needs before normalisation"), default=5
    )
    quota_threshold = models.PositiveSmallIntegerField(pgettext_lazy("selection", "applicants threshold"), default=30)
    quota_percent = models.DecimalField(
        pgettext_lazy("selection", "share that may win below the threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=30,
    )
    quota_max = models.PositiveSmallIntegerField(
        pgettext_lazy("selection", "most winners at or above the threshold"), default=10
    )
    quota_rounding = models.CharField(
        pgettext_lazy("selection", "rounding of the quota"),
        max_length=10,
        choices=Rounding.choices,
        default=Rounding.FLOOR,
    )
    max_team_size = models.PositiveSmallIntegerField(pgettext_lazy("selection", "largest team"), default=8)

    class Meta:
        ordering = ["selection_id", "code"]
        verbose_name = pgettext_lazy("selection", "category")
        verbose_name_plural = pgettext_lazy("selection", "categories")
        constraints = [
            models.UniqueConstraint(fields=["selection", "code"], name="selections_category_code"),
            models.CheckConstraint(
                condition=Q(quota_percent__gte=0, quota_percent__lte=100), name="selections_category_quota_percent"
            ),
            models.CheckConstraint(condition=Q(normalise_min_scores__gte=2), name="selections_category_norm_min"),
        ]

    def __str__(self) -> str:
        return self.name_zh


class PanelRole(models.TextChoices):
    CHAIR = "chair", pgettext_lazy("panel", "Chair")
    JUDGE = "judge", pgettext_lazy("panel", "Judge")


class PanelMember(models.Model):
    """A judge on a category's panel. Judges are users: exchange staff or external experts
    (accounts of kind ``public`` created for them), see docs/selections.md."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="selection_panels", verbose_name=_("judge")
    )
    role = models.CharField(_("role"), max_length=10, choices=PanelRole.choices, default=PanelRole.JUDGE)

    class Meta:
        ordering = ["category_id", "role", "pk"]
        verbose_name = pgettext_lazy("panel", "panel member")
        verbose_name_plural = pgettext_lazy("panel", "panel members")
        constraints = [
            models.UniqueConstraint(fields=["category", "user"], name="selections_panel_once"),
            models.UniqueConstraint(
                fields=["category"], condition=Q(role="chair"), name="selections_one_chair_per_category"
            ),
        ]

    def __str__(self) -> str:
        return self.user.full_name or self.user.email


class JudgeEmployment(models.Model):
    """One employment of a judge (current when ``ended_on`` is empty): the basis of automatic
    recusal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_employments", verbose_name=_("judge")
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("employer")
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["user_id", "-started_on"]
        verbose_name = pgettext_lazy("selection", "judge employment")
        verbose_name_plural = pgettext_lazy("selection", "judge employments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="selections_employment_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.organisation_id} {self.started_on}–{self.ended_on or ''}"


class Declaration(models.Model):
    """A relation a judge declares with a company (a relative works there, a consultancy …):
    every application of that company, or with a team member who left it within the conflict
    years, recuses the judge like an employment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_declarations", verbose_name=_("judge")
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    note = models.CharField(pgettext_lazy("conflict", "relation"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "pk"]
        verbose_name = pgettext_lazy("conflict", "declared relation")
        verbose_name_plural = pgettext_lazy("conflict", "declared relations")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.organisation_id}"


class ApplicationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application state", "Awaiting the company's confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("application state", "Confirmed by the company")
    WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")

    @classmethod
    def live(cls) -> frozenset[str]:
        return frozenset({cls.DRAFT, cls.SUBMITTED, cls.CONFIRMED})


APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationState.DRAFT: frozenset({ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN}),
    ApplicationState.SUBMITTED: frozenset(
        {ApplicationState.CONFIRMED, ApplicationState.DRAFT, ApplicationState.WITHDRAWN}
    ),
    ApplicationState.CONFIRMED: frozenset({ApplicationState.WITHDRAWN}),
    ApplicationState.WITHDRAWN: frozenset(),
}


class Application(models.Model):
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=pgettext_lazy("selection", "category"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="analyst_applications",
        verbose_name=_("member company"),
    )
    kind = models.CharField(pgettext_lazy("selection", "applicant"), max_length=12, choices=ApplicantKind.choices)
    team_name = models.CharField(pgettext_lazy("selection", "team name"), max_length=100, blank=True)
    summary = models.TextField(pgettext_lazy("selection", "service to the real economy"), blank=True)
    number = models.PositiveIntegerField(_("number"))
    blind_code = models.CharField(pgettext_lazy("selection", "anonymous code"), max_length=12, unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("selection", "confirmed by"),
    )
    confirmed_at = models.DateTimeField(pgettext_lazy("selection", "confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category_id", "number"]
        verbose_name = pgettext_lazy("selection", "application")
        verbose_name_plural = pgettext_lazy("selection", "applications")
        constraints = [
            models.UniqueConstraint(fields=["category", "number"], name="selections_application_number"),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="selections_confirmed_has_seal",
            ),
            models.CheckConstraint(condition=~Q(kind="team") | ~Q(team_name=""), name="selections_team_has_name"),
        ]

    def __str__(self) -> str:
        # Never a name: this string reaches audit entries and judges' screens.
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.category.selection.year}-{self.category.code}-{self.number:03d}"

    @property
    def is_live(self) -> bool:
        return self.state in ApplicationState.live()


class TeamMember(models.Model):
    """A person on an application's roster (the one person of an individual application).
    ``category`` and ``live`` repeat the application's so the database refuses one person
    (by certificate number) on two live applications of a category."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    live = models.BooleanField(default=True)
    full_name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    certificate_no = models.CharField(pgettext_lazy("selection", "qualification certificate number"), max_length=30)
    is_leader = models.BooleanField(pgettext_lazy("selection", "team leader"), default=False)
    former_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("selection", "former employer"),
    )
    former_until = models.DateField(pgettext_lazy("selection", "left the former employer on"), null=True, blank=True)

    class Meta:
        ordering = ["application_id", "-is_leader", "pk"]
        verbose_name = pgettext_lazy("selection", "team member")
        verbose_name_plural = pgettext_lazy("selection", "team members")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "certificate_no"],
                condition=Q(live=True),
                name="selections_person_once_per_category",
            ),
            models.CheckConstraint(
                condition=Q(former_organisation__isnull=True, former_until__isnull=True)
                | Q(former_organisation__isnull=False, former_until__isnull=False),
                name="selections_former_employer_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


MATERIAL_PURPOSE = "selection_material"


class Material(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))
    title = models.CharField(_("title"), max_length=200)
    stripped = models.JSONField(pgettext_lazy("selection", "metadata removed"), default=list, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "pk"]
        verbose_name = pgettext_lazy("selection", "material")
        verbose_name_plural = pgettext_lazy("selection", "materials")

    def __str__(self) -> str:
        # Never the title: it may name the author, and this string reaches audit entries.
        return f"material #{self.pk}"


class ConflictSource(models.TextChoices):
    EMPLOYMENT = "employment", pgettext_lazy("conflict", "Employment")
    DECLARED = "declared", pgettext_lazy("conflict", "Declared relation")


class ConflictState(models.TextChoices):
    SUGGESTED = "suggested", pgettext_lazy("conflict", "Suggested (judge recused)")
    CONFIRMED = "confirmed", pgettext_lazy("conflict", "Confirmed (judge recused)")
    DISMISSED = "dismissed", pgettext_lazy("conflict", "Dismissed")

    @classmethod
    def recusing(cls) -> frozenset[str]:
        return frozenset({cls.SUGGESTED, cls.CONFIRMED})


class Conflict(models.Model):
    panel_member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    source = models.CharField(pgettext_lazy("conflict", "source"), max_length=12, choices=ConflictSource.choices)
    detail = models.CharField(pgettext_lazy("conflict", "why"), max_length=300)
    state = models.CharField(_("state"), max_length=12, choices=ConflictState.choices, default=ConflictState.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "panel_member_id"]
        verbose_name = pgettext_lazy("conflict", "conflict of interest")
        verbose_name_plural = pgettext_lazy("conflict", "conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["panel_member", "application"], name="selections_conflict_once"),
            models.CheckConstraint(
                condition=Q(state="suggested", decided_at__isnull=True)
                | (~Q(state="suggested") & Q(decided_at__isnull=False) & ~Q(reason="")),
                name="selections_conflict_decided_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"conflict #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state == ConflictState.SUGGESTED


class Score(models.Model):
    """One judge's score of one judged indicator of one application, on the category's scale."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="scores")
    judge = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="scores")
    indicator = models.CharField(pgettext_lazy("selection", "indicator"), max_length=40)
    value = models.DecimalField(pgettext_lazy("selection", "score"), max_digits=6, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application_id", "judge_id", "indicator"]
        verbose_name = pgettext_lazy("selection", "score")
        verbose_name_plural = pgettext_lazy("selection", "scores")
        constraints = [
            models.UniqueConstraint(fields=["application", "judge", "indicator"], name="selections_score_once"),
        ]

    def __str__(self) -> str:
        return f"score #{self.pk}"


class RunState(models.TextChoices):
    COMPUTED = "computed", pgettext_lazy("result run", "Computed")
    REVIEWED = "reviewed", pgettext_lazy("result run", "Confirmed by expert review")
    PUBLISHED = "published", pgettext_lazy("result run", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("result run", "Superseded")


class ResultRun(models.Model):
    """One computation of a category's results: a new version each time, never overwritten."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="runs")
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=12, choices=RunState.choices, default=RunState.COMPUTED)
    method = models.JSONField(pgettext_lazy("selection", "method"), default=dict)
    applicants = models.PositiveIntegerField(pgettext_lazy("selection", "applicants"))
    quota = models.PositiveIntegerField(pgettext_lazy("selection", "quota"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["category_id", "-version"]
        verbose_name = pgettext_lazy("selection", "result run")
        verbose_name_plural = pgettext_lazy("selection", "result runs")
        constraints = [
            models.UniqueConstraint(fields=["category", "version"], name="selections_run_version"),
            models.UniqueConstraint(
                fields=["category"], condition=Q(state="published"), name="selections_one_published_run"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class ResultRow(models.Model):
    run = models.ForeignKey(ResultRun, on_delete=models.CASCADE, related_name="rows")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="result_rows")
    judges_raw = models.DecimalField(pgettext_lazy("selection", "judges' score (raw)"), max_digits=8, decimal_places=3)
    judges_normalised = models.DecimalField(
        pgettext_lazy("selection", "judges' score (normalised)"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    objective = models.JSONField(pgettext_lazy("selection", "computed indicators"), default=dict)
    total = models.DecimalField(pgettext_lazy("selection", "total"), max_digits=8, decimal_places=3)
    rank = models.PositiveIntegerField(pgettext_lazy("selection", "rank"))
    winner = models.BooleanField(pgettext_lazy("selection", "winner"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["run_id", "rank", "application_id"]
        verbose_name = pgettext_lazy("selection", "result")
        verbose_name_plural = pgettext_lazy("selection", "results")
        constraints = [models.UniqueConstraint(fields=["run", "application"], name="selections_row_once")]

    def __str__(self) -> str:
        return f"result #{self.pk}"


class AwardState(models.TextChoices):
    AWARDED = "awarded", pgettext_lazy("award state", "Awarded")
    REVOKED = "revoked", pgettext_lazy("award state", "Revoked")


class Award(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    run = models.ForeignKey(ResultRun, on_delete=models.PROTECT, related_name="awards")
    state = models.CharField(_("state"), max_length=10, choices=AwardState.choices, default=AwardState.AWARDED)
    sort_key = models.CharField(max_length=300)
    commendation_ref = models.CharField(pgettext_lazy("selection", "commendation record"), max_length=60, blank=True)
    awarded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.TextField(pgettext_lazy("selection", "reason for revocation"), blank=True)

    class Meta:
        ordering = ["run_id", "sort_key"]
        verbose_name = pgettext_lazy("selection", "award")
        verbose_name_plural = pgettext_lazy("selection", "awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="awarded", revoked_at__isnull=True)
                | Q(state="revoked", revoked_at__isnull=False) & ~Q(revoked_reason=""),
                name="selections_award_revoked_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"award #{self.pk}"
