"""An evaluation: one year of a programme (会员评优 2023, overseas broker award 2024) run on a frozen scheme.

States::

    draft ─open (scheme frozen)─▶ open ─compute─▶ open (result set N)
    open ─publish v1 (notice; objection window starts)─▶ objection
    objection ─publish v1.1 … (all objections decided, window over)─▶ final (winners handed to
    the commendation layer) (terminal)

Nothing is overwritten: each computation is a new ``ResultSet`` (number 1, 2, …) with the diff
against the one before; each computed value keeps its inputs; each publication is a new
``PublishedList`` (v1, v1.1, v1.2 …) with its change log.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EvaluationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("evaluation", "Draft")
    OPEN = "open", pgettext_lazy("evaluation", "Open")
    OBJECTION = "objection", pgettext_lazy("evaluation", "Objection period")
    FINAL = "final", pgettext_lazy("evaluation", "Final")

    @classmethod
    def member_visible(cls) -> frozenset[str]:
        """States in which the evaluated see their own results."""
        return frozenset({cls.OBJECTION, cls.FINAL})


# The evaluation's workflow: the services move a record only along these edges
# (``services.evaluations._move``); the yearly document renders its procedure from this table
# (``huifu.yearplan.workflows``).
EVALUATION_TRANSITIONS: dict[str, frozenset[str]] = {
    EvaluationState.DRAFT: frozenset({EvaluationState.OPEN}),
    EvaluationState.OPEN: frozenset({EvaluationState.OBJECTION}),
    EvaluationState.OBJECTION: frozenset({EvaluationState.FINAL}),
    EvaluationState.FINAL: frozenset(),
}


class Evaluation(models.Model):
    programme = models.ForeignKey(
        "awards.AwardProgramme", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("award programme")
    )
    scheme = models.OneToOneField(
        "awards.SchemeVersion", on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("scheme")
    )
    edition = models.OneToOneField(
        "awards.AwardEdition",
        on_delete=models.PROTECT,
        related_name="evaluation",
        verbose_name=_("award edition"),
    )
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    state = models.CharField(_("state"), max_length=10, choices=EvaluationState.choices, default=EvaluationState.DRAFT)
    objection_days = models.PositiveSmallIntegerField(
        _("objection window (working days)"), default=5, help_text=_("Counted from the publication of v1.")
    )
    objection_deadline = models.DateField(_("objections until"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("opened by")
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "programme"]
        verbose_name = pgettext_lazy("award evaluation", "evaluation")
        verbose_name_plural = pgettext_lazy("award evaluation", "evaluations")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="awards_one_evaluation_per_year"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(opened_at__isnull=False), name="awards_evaluation_opened_at"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["objection", "final"]) | Q(objection_deadline__isnull=False),
                name="awards_evaluation_deadline_when_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("awards:evaluation", args=[self.pk])

    @property
    def objection_window_open(self) -> bool:
        from django.utils import timezone

        return (
            self.state == EvaluationState.OBJECTION
            and self.objection_deadline is not None
            and timezone.localdate() <= self.objection_deadline
        )


class EnteredValue(models.Model):
    """A value entered by staff for an ``entered`` indicator, with its evidence. A correction
    (e.g. after an upheld objection) is a new row; the old one is kept (``superseded_by``)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="entered_values")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    indicator_code = models.CharField(_("indicator"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    evidence = models.TextField(_("evidence"))
    entered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "organisation", "indicator_code", "-pk"]
        verbose_name = _("entered value")
        verbose_name_plural = _("entered values")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "organisation", "indicator_code"],
                condition=Q(superseded_at__isnull=True),
                name="awards_one_current_value",
            ),
            models.CheckConstraint(condition=~Q(evidence=""), name="awards_entered_value_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.indicator_code} = {self.value}"


class BonusGrant(models.Model):
    """Bonus points granted for a bonus item, with evidence (capped at computation)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="bonus_grants")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    bonus_code = models.CharField(_("bonus item"), max_length=40)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    evidence = models.TextField(_("evidence"))
    granted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "organisation", "bonus_code", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="awards_bonus_grant_not_negative"),
            models.CheckConstraint(condition=~Q(evidence=""), name="awards_bonus_grant_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.bonus_code} +{self.points}"


class MeasureKind(models.TextChoices):
    """Supervisory measure types (监管措施) on which deductions rest (《期货公司分类评价规定》)."""

    WARNING_LETTER = "warning_letter", _("Warning letter (警示函)")
    RECTIFICATION = "rectification", _("Order to rectify (责令改正)")
    SUPERVISORY_TALK = "supervisory_talk", _("Supervisory talk (监管谈话)")
    WARNING = "warning", _("Warning (警告)")
    FINE = "fine", _("Fine (罚款)")


class SupervisoryMeasure(models.Model):
    """An effective supervisory measure taken against an organisation, as documented (document
    number, date). Measures punishing the same violation share ``violation_ref``: the violation
    counts once, with the heaviest measure's points (择其重者)."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="supervisory_measures"
    )
    kind = models.CharField(_("measure type"), max_length=24, choices=MeasureKind.choices)
    document_number = models.CharField(_("document number"), max_length=80)
    issued_on = models.DateField(_("date of the measure"))
    authority = models.CharField(pgettext_lazy("supervisory measure", "issued by"), max_length=120, blank=True)
    violation_ref = models.CharField(
        _("violation"),
        max_length=80,
        help_text=_("The same reference for every measure punishing one violation."),
    )
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["organisation", "issued_on", "pk"]
        verbose_name = _("supervisory measure")
        verbose_name_plural = _("supervisory measures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "document_number", "kind"], name="awards_measure_document_once"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="awards_measure_withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} ({self.get_kind_display()})"


class ResultSet(models.Model):
    """One computation of an evaluation (number 1, 2, …); ``diff`` lists what changed against the
    previous one ({org_id: {"total": [before, after], "rank": [...]}})."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="result_sets")
    number = models.PositiveSmallIntegerField(_("version"))
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("scorer")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    diff = models.JSONField(_("changes against the previous version"), default=dict, blank=True)

    class Meta:
        ordering = ["evaluation", "-number"]
        verbose_name = _("result version")
        verbose_name_plural = _("result versions")
        constraints = [models.UniqueConstraint(fields=["evaluation", "number"], name="awards_result_set_number")]

    def __str__(self) -> str:
        return f"{self.evaluation} #{self.number}"


class SubjectResult(models.Model):
    """One evaluated organisation's result in a result set. ``breakdown`` holds, per indicator,
    the value, the inputs it was computed from (snapshot), the score and the weighted score;
    ``deductions`` and ``bonuses`` the measures and grants counted. ``category_code`` is the
    category it ranks in, ``within_quota`` whether it wins there."""

    result_set = models.ForeignKey(ResultSet, on_delete=models.CASCADE, related_name="results")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    base_score = models.DecimalField(_("indicator score"), max_digits=8, decimal_places=2)
    bonus = models.DecimalField(_("bonus"), max_digits=7, decimal_places=2, default=0)
    deduction = models.DecimalField(_("deduction"), max_digits=7, decimal_places=2, default=0)
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    within_quota = models.BooleanField(_("within the quota"), default=False)
    category_code = models.CharField(_("category"), max_length=40, blank=True)
    tie_note = models.CharField(_("tie-break"), max_length=200, blank=True)
    breakdown = models.JSONField(_("breakdown"), default=list)
    deductions = models.JSONField(_("deductions"), default=list)
    bonuses = models.JSONField(_("bonuses"), default=list)

    class Meta:
        ordering = ["result_set", "rank", "organisation_id"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["result_set", "organisation"], name="awards_one_result_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} #{self.rank} {self.total}"


class PublishedList(models.Model):
    """A published results list: ``v1`` opens the objection window; ``v1.1`` … follow decided
    objections, each with its change log against the list before."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="published_lists")
    label = models.CharField(_("version"), max_length=10)
    result_set = models.ForeignKey(ResultSet, on_delete=models.PROTECT, related_name="+")
    is_final = models.BooleanField(_("final"), default=False)
    change_log = models.JSONField(_("change log"), default=list, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("notice")
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["evaluation", "-published_at", "-pk"]
        verbose_name = _("published list")
        verbose_name_plural = _("published lists")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "label"], name="awards_published_label"),
            models.UniqueConstraint(fields=["evaluation"], condition=Q(is_final=True), name="awards_one_final_list"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.label}"


class ObjectionState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("objection", "Submitted")
    UPHELD = "upheld", pgettext_lazy("objection", "Upheld")
    REJECTED = "rejected", pgettext_lazy("objection", "Rejected")


class Objection(models.Model):
    """A member's objection to its own result, decided by staff of the owning department other
    than the scorer, with a reason."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="objections")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    published_list = models.ForeignKey(PublishedList, on_delete=models.PROTECT, related_name="objections")
    indicator_code = models.CharField(_("indicator"), max_length=40, blank=True)
    text = models.TextField(_("objection"))
    state = models.CharField(
        _("state"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.SUBMITTED
    )
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["evaluation", "-submitted_at", "-pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="submitted") & Q(decided_at__isnull=True) & Q(decided_by__isnull=True))
                | (
                    Q(state__in=["upheld", "rejected"])
                    & Q(decided_at__isnull=False)
                    & Q(decided_by__isnull=False)
                    & ~Q(decision_reason="")
                ),
                name="awards_objection_decided_iff_reason",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="awards_objection_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.text[:40]}"
