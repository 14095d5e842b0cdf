"""Reading the selection, scoped by the user. Every list, page, export, search and API call reads
through these, so what a user is not allowed to see answers exactly like what does not exist.

* managers (staff of the organising department): everything of their selections;
* users of a member company: their company's applications; results only once published;
* judges: confirmed applications of their categories, minus those they are recused from
  (suggested or confirmed conflicts), and never the names in a blind category (``viewer_role``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_member_user, is_staff_user

from .models import (
    Application,
    ApplicationState,
    Award,
    Category,
    Conflict,
    ConflictState,
    PanelMember,
    PanelRole,
    ResultRow,
    RunState,
    Score,
    Selection,
)
from .permissions import user_manages

NOTHING = Q(pk__in=[])


def selection_list(*, user: Any) -> QuerySet[Selection]:
    return Selection.objects.select_related("plan_notice").prefetch_related("phases", "categories").order_by("-year")


def selection_get(*, year: int) -> Selection:
    selection = selection_list(user=None).filter(year=year).first()
    if selection is None:
        raise Http404
    return selection


def managed_selection_q(user: Any, prefix: str = "") -> Q:
    if not is_staff_user(user):
        return NOTHING
    return Q(**{f"{prefix}department_id": user.department_id})


def recused_application_ids(user: Any) -> QuerySet:
    return Conflict.objects.filter(panel_member__user_id=user.pk, state__in=ConflictState.recusing()).values(
        "application_id"
    )


def judged_application_q(user: Any) -> Q:
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    return (
        Q(state=ApplicationState.CONFIRMED)
        & Q(category_id__in=PanelMember.objects.filter(user_id=user.pk).values("category_id"))
        & ~Q(pk__in=recused_application_ids(user))
    )


def application_list(*, user: Any) -> QuerySet[Application]:
    """Applications the user may see (one query, no duplicates)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    condition = managed_selection_q(user, "category__selection__") if is_staff_user(user) else NOTHING
    if is_member_user(user):
        condition |= Q(organisation_id=user.organisation_id)
    condition |= judged_application_q(user)
    return (
        Application.objects.filter(condition)
        .select_related("category__selection", "organisation")
        .order_by("category__selection__year", "category__code", "number")
    )


def judging_list(*, user: Any) -> QuerySet[Application]:
    """What a judge has to score: only the judged part, never the manager's view."""
    return (
        Application.objects.filter(judged_application_q(user))
        .select_related("category__selection")
        .order_by("category__selection__year", "category__code", "blind_code")
    )


def application_get(*, user: Any, application_id: Any) -> Application:
    try:
        pk = int(application_id)
    except (TypeError, ValueError):
        raise Http404 from None
    application = application_list(user=user).prefetch_related("members__former_organisation").filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def viewer_role(user: Any, application: Application) -> str:
    """``manager``, ``company`` or ``judge`` (the caller already got the application through
    ``application_get``)."""
    if user_manages(user, application.category.selection):
        return "manager"
    if getattr(user, "organisation_id", None) == application.organisation_id:
        return "company"
    return "judge"


def hides_identity(user: Any, application: Application) -> bool:
    return application.category.blind and viewer_role(user, application) == "judge"


def panel_member_for(*, user: Any, category: Category) -> PanelMember | None:
    return PanelMember.objects.filter(category=category, user_id=user.pk).first()


def scores_of_judge(*, user: Any, application: Application) -> dict[str, Any]:
    return {s.indicator: s.value for s in Score.objects.filter(application=application, judge__user_id=user.pk)}


def category_for_manager(*, user: Any, category_id: Any) -> Category:
    category = Category.objects.select_related("selection", "scheme").filter(pk=category_id).first()
    if category is None or not user_manages(user, category.selection):
        raise Http404
    return category


def conflict_list(*, user: Any, category: Category) -> QuerySet[Conflict]:
    """Managers: every conflict of the category. The chair: the other judges' conflicts on
    applications the chair is not recused from. Others: none."""
    qs = Conflict.objects.filter(application__category=category).select_related(
        "panel_member__user", "application", "decided_by"
    )
    if user_manages(user, category.selection):
        return qs
    chair = PanelMember.objects.filter(category=category, user_id=user.pk, role=PanelRole.CHAIR).first()
    if chair is None:
        return qs.none()
    return qs.exclude(panel_member=chair).exclude(application_id__in=recused_application_ids(user))


def category_for_conflicts(*, user: Any, category_id: Any) -> Category:
    category = Category.objects.select_related("selection").filter(pk=category_id).first()
    if category is None:
        raise Http404
    if user_manages(user, category.selection):
        return category
    if PanelMember.objects.filter(category=category, user_id=user.pk, role=PanelRole.CHAIR).exists():
        return category
    raise Http404


def conflict_get(*, user: Any, conflict_id: Any) -> Conflict:
    conflict = Conflict.objects.select_related("application__category__selection").filter(pk=conflict_id).first()
    if (
        conflict is None
        or not conflict_list(user=user, category=conflict.application.category).filter(pk=conflict.pk).exists()
    ):
        raise Http404
    return conflict


def published_row(*, application: Application) -> ResultRow | None:
    """The application's row in its category's published run (members' view of their score)."""
    return (
        ResultRow.objects.filter(application=application, run__state=RunState.PUBLISHED).select_related("run").first()
    )


def winners(*, category: Category) -> QuerySet[Award]:
    """Published awards of the category, 排名不分先后 in pinyin order (revoked ones kept, marked)."""
    return (
        Award.objects.filter(run__category=category, run__state=RunState.PUBLISHED)
        .select_related("application__organisation", "application__category")
        .prefetch_related("application__members")
        .order_by("sort_key")
    )


def material_readable(user: Any, stored_file: Any) -> bool:
    """A material's file: whoever may see its application (a judge not recused; the company;
    managers). Staff and the owning company pass the files app's own rule first."""
    from .models import Material

    application_ids = Material.objects.filter(file=stored_file).values("application_id")
    return application_list(user=user).filter(pk__in=application_ids).exists()
