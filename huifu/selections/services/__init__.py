"""The selection's named operations (writes). Each is one transaction with one audit entry of
its own and checks the permission again with ``require``."""

from .applications import (
    application_confirm,
    application_create,
    application_return,
    application_submit,
    application_update,
    application_withdraw,
    material_add,
)
from .common import SelectionError, phase_state, require_phase
from .judging import conflict_decide, conflicts_refresh, scores_submit, tell_judges
from .results import award_revoke, results_compute, results_publish, results_review
from .setup import (
    category_create,
    declaration_add,
    judge_employment_add,
    panel_member_add,
    phase_set,
    plan_publish,
    rubric_create,
    selection_create,
)

__all__ = [
    "SelectionError",
    "application_confirm",
    "application_create",
    "application_return",
    "application_submit",
    "application_update",
    "application_withdraw",
    "award_revoke",
    "category_create",
    "conflict_decide",
    "conflicts_refresh",
    "declaration_add",
    "judge_employment_add",
    "material_add",
    "panel_member_add",
    "phase_set",
    "phase_state",
    "plan_publish",
    "require_phase",
    "results_compute",
    "results_publish",
    "results_review",
    "rubric_create",
    "scores_submit",
    "selection_create",
    "tell_judges",
]
