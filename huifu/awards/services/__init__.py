"""Writes of the awards app: one named service per state change (see the submodules).

``schemes``: scheme versions, indicators, weights, freezing. ``evaluations``: the member rating
and overseas broker award workflow. ``commendation``: editions, winners, certificates, revocation.
``scoring``: the pure scoring engine.
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
