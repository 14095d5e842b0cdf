"""Writing incentive projects, rules and participations: the named operations.

Each runs in one transaction and writes one audit entry (tracking items and stored files add
their own apps' entries). Every function takes the acting user as ``actor`` and checks the
actor's right itself (``actor=None`` is the system: demo seeding). Illegal state moves raise
``IncentiveStateError``; bad input raises django ``ValidationError`` naming the field.
"""

from .participations import (
    PARTICIPATION_FILE_PURPOSE,
    participation_accept,
    participation_apply_closing,
    participation_closing_review,
    participation_report,
    participation_return_for_work,
    participation_review,
    participation_submit,
    participation_submit_results,
    participation_withdraw,
)
from .projects import (
    IncentiveStateError,
    project_create,
    project_set_status,
    project_update,
    rule_delete,
    rule_save,
)

__all__ = [
    "PARTICIPATION_FILE_PURPOSE",
    "IncentiveStateError",
    "participation_accept",
    "participation_apply_closing",
    "participation_closing_review",
    "participation_report",
    "participation_return_for_work",
    "participation_review",
    "participation_submit",
    "participation_submit_results",
    "participation_withdraw",
    "project_create",
    "project_set_status",
    "project_update",
    "rule_delete",
    "rule_save",
]
