"""Who may do what in the analyst selection (``selections.*``).

* **Managers** run a selection: staff of its organising department (``manage_selection``), who
  also own its award programme in the awards engine (publication, certificates, revocation). A manager may not sit on one of its panels (``panel_member_add``
  refuses), so nobody both sees everything and judges.
* **Member companies** apply (``apply``: member users); users of the applying company read and
  edit their applications (``change_application`` while live); the company's admin confirms
  (``confirm_application`` — the seal).
* **Judges** are users on a category's panel (exchange staff or external experts). They read and
  score confirmed applications of their category except those they are recused from
  (``view_application``, ``score_application``). The chair decides suggested conflicts of the
  other judges on applications the chair is not recused from; managers decide any.
* Results, publication and revocation are the managers'. Members read their own result once
  published.
"""

from __future__ import annotations

from typing import Any

import rules

from huifu.accounts.predicates import is_logged_in, is_member_user, is_org_admin, is_staff_user


def _selection_of(obj: Any) -> Any:
    from .models import Application, Award, Category, Conflict, ResultRun, Selection

    if isinstance(obj, Selection):
        return obj
    if isinstance(obj, Category):
        return obj.selection
    if isinstance(obj, Application):
        return obj.category.selection
    if isinstance(obj, Conflict):
        return obj.application.category.selection
    if isinstance(obj, (ResultRun,)):
        return obj.category.selection
    if isinstance(obj, Award):
        return obj.run.category.selection
    return None


def user_manages(user: Any, selection: Any) -> bool:
    if not is_staff_user(user):
        return False
    return selection is not None and user.department_id == selection.department_id


@rules.predicate
def manages(user: Any, obj: Any) -> bool:
    """Without an object: whether the user manages selections at all (menus, create)."""
    if obj is None:
        return is_staff_user(user)
    return user_manages(user, _selection_of(obj))


def _category_of(obj: Any) -> Any:
    from .models import Application, Category, Conflict

    if isinstance(obj, Category):
        return obj
    if isinstance(obj, Application):
        return obj.category
    if isinstance(obj, Conflict):
        return obj.application.category
    return None


def panel_member(user: Any, category: Any) -> Any:
    if category is None or not getattr(user, "is_authenticated", False):
        return None
    from .models import PanelMember

    return PanelMember.objects.filter(category=category, user_id=user.pk).first()


def is_recused(member: Any, application: Any) -> bool:
    from .models import Conflict, ConflictState

    return Conflict.objects.filter(
        panel_member=member, application=application, state__in=ConflictState.recusing()
    ).exists()


@rules.predicate
def judges_category(user: Any, obj: Any) -> bool:
    return panel_member(user, _category_of(obj)) is not None


@rules.predicate
def may_judge_application(user: Any, application: Any) -> bool:
    """On the application's panel, the application confirmed, and the judge not recused."""
    from .models import ApplicationState

    if application is None or application.state != ApplicationState.CONFIRMED:
        return False
    member = panel_member(user, application.category)
    return member is not None and not is_recused(member, application)


@rules.predicate
def of_applying_company(user: Any, application: Any) -> bool:
    return (
        application is not None
        and getattr(user, "organisation_id", None) is not None
        and user.organisation_id == application.organisation_id
    )


@rules.predicate
def chairs_conflict(user: Any, conflict: Any) -> bool:
    """The chair of the conflict's category, not the conflicted judge, not recused there."""
    from .models import PanelRole

    if conflict is None:
        return False
    member = panel_member(user, conflict.application.category)
    return (
        member is not None
        and member.role == PanelRole.CHAIR
        and member.pk != conflict.panel_member_id
        and not is_recused(member, conflict.application)
    )


rules.add_perm("selections.view_selection_list", is_logged_in)
rules.add_perm("selections.manage_selection", manages)
rules.add_perm("selections.apply", is_member_user)
rules.add_perm("selections.view_application", manages | (is_member_user & of_applying_company) | may_judge_application)
rules.add_perm("selections.change_application", is_member_user & of_applying_company)
rules.add_perm("selections.confirm_application", is_member_user & is_org_admin & of_applying_company)
rules.add_perm("selections.judge", is_logged_in)
rules.add_perm("selections.score_application", may_judge_application)
rules.add_perm("selections.decide_conflict", manages | chairs_conflict)
rules.add_perm("selections.view_results", manages)
rules.add_perm("selections.revoke_award", manages)
