"""Writes of the awards app: one named service per state change (see the submodules).

``schemes``: scheme versions, indicators, weights, freezing. ``evaluations``: the member rating
and overseas broker award workflow. ``commendation``: editions, winners, certificates, revocation.
``scheme_editor``: the staff editor of a draft scheme (indicators, bonus items, deduction table,
caps, tie-break). ``scoring``: the pure scoring engine.
"""

from . import scoring  # noqa: F401
from .commendation import (  # noqa: F401
    CategorySpec,
    WinnerSpec,
    edition_create,
    winner_revoke,
    winners_publish,
)
from .errors import AwardsError  # noqa: F401
from .scheme_editor import (  # noqa: F401
    bonus_item_add,
    bonus_item_remove,
    bonus_item_update,
    deduction_type_remove,
    deduction_type_set,
    indicator_add,
    indicator_remove,
    indicator_update,
    scheme_level_sums,
    scheme_update,
)
from .schemes import (  # noqa: F401
    BonusSpec,
    IndicatorInput,
    scheme_create,
    scheme_freeze,
    scheme_leaves,
    scheme_new_version,
    scheme_set_weights,
    scheme_spec,
    scheme_total,
    scheme_validate,
)
