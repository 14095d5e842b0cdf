"""Home card: awards. An evaluated organisation's users see the evaluations whose results are out
for objection (with the closing day) and their awards; the owning department's staff see the
objections waiting for a decision. Shown only when there is something."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_org_user, is_staff_user
from huifu.core.home import CardContent, CardEntry, CardRow, register

from .models import Evaluation, EvaluationState, Objection, ObjectionState, Winner


@register(key="awards.mine", title=pgettext_lazy("home", "Awards"), order=64)
def awards_card(user: Any) -> CardContent | None:
    url = reverse("awards:index")
    if is_staff_user(user) and user.department_id:
        pending = Objection.objects.filter(
            state=ObjectionState.SUBMITTED, evaluation__programme__department_id=user.department_id
        )
        count = pending.count()
        if not count:
            return None
        return CardContent(url=url, rows=[CardRow(pgettext_lazy("home", "Objections to decide"), count, url=url)])
    if not is_org_user(user):
        return None
    open_for_objection = list(
        Evaluation.objects.filter(
            state=EvaluationState.OBJECTION,
            published_lists__result_set__results__organisation_id=user.organisation_id,
        )
        .select_related("edition")
        .distinct()[:3]
    )
    wins = list(Winner.objects.filter(organisation_id=user.organisation_id).select_related("edition")[:3])
    if not open_for_objection and not wins:
        return None
    return CardContent(
        url=url,
        rows=[
            CardRow(
                pgettext_lazy("home", "Results out for objection"),
                len(open_for_objection),
                url=url,
                deadline=min((e.objection_deadline for e in open_for_objection), default=None),
            )
        ],
        entries=[
            CardEntry(e.edition.title, url=e.get_absolute_url(), when=e.objection_deadline) for e in open_for_objection
        ]
        + [
            CardEntry(f"{w.edition.title} {w.number}", url=w.edition.get_absolute_url(), when=w.published_at)
            for w in wins
        ],
        entries_title=pgettext_lazy("home", "Evaluations and awards"),
    )
