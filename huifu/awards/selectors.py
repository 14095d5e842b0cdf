"""Reads scoped by user. "Not yours" answers like "does not exist" (404).

* Staff read every programme, scheme, evaluation, result and winner.
* An organisation's users read an evaluation only once a list is published and only if their
  organisation is evaluated in it, and then only their own result: the current published list's
  (v1 during the objection window, the final list after). Never another organisation's figures.
* Anyone reads published editions' valid winners (public page) and a certificate by its code.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_org_user, is_staff_user

from .models import (
    AwardEdition,
    EditionState,
    Evaluation,
    EvaluationState,
    Objection,
    PublishedList,
    SchemeVersion,
    SubjectResult,
    SupervisoryMeasure,
    Winner,
    WinnerState,
)


def current_list(evaluation: Evaluation) -> PublishedList | None:
    """The list in force: the final one if published, else the latest."""
    lists = evaluation.published_lists.select_related("result_set").order_by("-is_final", "-published_at", "-pk")
    return lists.first()


def evaluation_list(*, user: Any) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.select_related("programme", "programme__department", "edition").order_by(
        "-year", "programme__code"
    )
    if is_staff_user(user):
        return qs
    if is_org_user(user):
        return qs.filter(
            state__in=EvaluationState.member_visible(),
            published_lists__result_set__results__organisation_id=user.organisation_id,
        ).distinct()
    return qs.none()


def evaluation_get(*, user: Any, pk: int) -> Evaluation:
    evaluation = evaluation_list(user=user).filter(pk=pk).first()
    if evaluation is None:
        raise Http404
    return evaluation


def own_result(*, user: Any, evaluation: Evaluation) -> SubjectResult | None:
    """The user's organisation's result in the list in force (None when not evaluated)."""
    if not is_org_user(user) or evaluation.state not in EvaluationState.member_visible():
        return None
    published = current_list(evaluation)
    if published is None:
        return None
    return (
        SubjectResult.objects.filter(result_set=published.result_set, organisation_id=user.organisation_id)
        .select_related("organisation", "result_set")
        .first()
    )


def result_for_staff(*, user: Any, evaluation: Evaluation, organisation_id: int) -> SubjectResult:
    if not is_staff_user(user):
        raise Http404
    result_set = evaluation.result_sets.order_by("-number").first()
    result = (
        SubjectResult.objects.filter(result_set=result_set, organisation_id=organisation_id)
        .select_related("organisation", "result_set")
        .first()
    )
    if result is None:
        raise Http404
    return result


def latest_results(*, user: Any, evaluation: Evaluation) -> QuerySet[SubjectResult]:
    """All results of the latest computation: staff only."""
    if not is_staff_user(user):
        return SubjectResult.objects.none()
    result_set = evaluation.result_sets.order_by("-number").first()
    return (
        SubjectResult.objects.filter(result_set=result_set)
        .select_related("organisation")
        .order_by("rank", "organisation_id")
    )


def winners_in_list(evaluation: Evaluation, published: PublishedList) -> QuerySet[SubjectResult]:
    """The names within the quotas of a published list (no figures): what every evaluated
    organisation may read."""
    return (
        SubjectResult.objects.filter(result_set=published.result_set, within_quota=True)
        .select_related("organisation")
        .only("organisation__name_zh", "organisation__name_en", "category_code", "rank", "result_set_id")
        .order_by("category_code", "organisation__name_zh")
    )


def measures_for(evaluation: Evaluation) -> QuerySet[SupervisoryMeasure]:
    """The supervisory measures of the evaluated year against the organisations this award
    evaluates (staff pages only)."""
    kind = evaluation.programme.subject_kind or "futures_company"
    return (
        SupervisoryMeasure.objects.filter(organisation__kind=kind, issued_on__year=evaluation.year)
        .select_related("organisation")
        .order_by("organisation__name_zh", "issued_on", "pk")
    )


def objections_for(*, user: Any, evaluation: Evaluation) -> QuerySet[Objection]:
    qs = evaluation.objections.select_related("organisation", "submitted_by", "decided_by", "published_list")
    if is_staff_user(user):
        return qs
    if is_org_user(user):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def scheme_get(*, user: Any, pk: int) -> SchemeVersion:
    if not is_staff_user(user):
        raise Http404
    scheme = SchemeVersion.objects.select_related("programme", "based_on").filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def winner_list(*, user: Any) -> QuerySet[Winner]:
    qs = Winner.objects.select_related("edition", "edition__programme", "category", "organisation").order_by(
        "-edition__year", "edition_id", "category__sort_order", "position"
    )
    if is_staff_user(user):
        return qs
    if is_org_user(user):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def winner_get(*, user: Any, pk: int) -> Winner:
    winner = winner_list(user=user).filter(pk=pk).first()
    if winner is None:
        raise Http404
    return winner


def edition_winners(*, user: Any, edition: AwardEdition) -> QuerySet[Winner]:
    """Staff: every winner, revoked too. Others: the valid winners (public anyway) and their own
    organisation's, revoked ones included (with the reason)."""
    qs = (
        Winner.objects.filter(edition=edition)
        .select_related("category", "organisation")
        .order_by("category__sort_order", "position")
    )
    if is_staff_user(user):
        return qs
    own = Q(organisation_id=user.organisation_id) if is_org_user(user) else Q(pk__in=[])
    return qs.filter(Q(state=WinnerState.VALID) | own)


def edition_get(*, user: Any, pk: int) -> AwardEdition:
    qs = AwardEdition.objects.select_related("programme", "notice")
    if not is_staff_user(user):
        qs = qs.filter(state=EditionState.PUBLISHED)
    edition = qs.filter(pk=pk).first()
    if edition is None:
        raise Http404
    return edition


def public_editions() -> QuerySet[AwardEdition]:
    """Published editions with their valid winners (revoked ones leave the public list)."""
    return (
        AwardEdition.objects.filter(state=EditionState.PUBLISHED)
        .select_related("programme")
        .prefetch_related(
            "categories",
            Prefetch(
                "winners",
                queryset=Winner.objects.filter(state=WinnerState.VALID).order_by("category__sort_order", "position"),
                to_attr="valid_winners",
            ),
        )
        .order_by("-year", "programme__code")
    )


def winner_by_code(code: str) -> Winner | None:
    from huifu.certificates.codes import normalise_code

    normal = normalise_code(code)
    if normal is None:
        return None
    return Winner.objects.select_related("edition", "edition__programme", "category").filter(code=normal).first()
