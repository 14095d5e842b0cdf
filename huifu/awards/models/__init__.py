"""Awards (系列评优): the evaluation engine and the commendation layer.

* ``schemes``: award programmes (owned by a department), evaluation schemes versioned per year
  (indicator tree, bonus items, deduction types), frozen when an evaluation opens.
* ``evaluations``: an evaluation of a year on a frozen scheme (member rating, overseas broker
  award): entered values with evidence, supervisory measures, computed result sets (versions with
  a diff), published lists (v1, v1.1 …) and objections.
* ``commendation``: an award edition, its categories (quotas), winners, certificates — shared
  with the excellent analyst selection (``huifu.selections``).
"""

from .commendation import (  # noqa: F401
    AwardCategory,
    AwardEdition,
    CertificateCounter,
    EditionState,
    Winner,
    WinnerState,
)
from .evaluations import (  # noqa: F401
    EVALUATION_TRANSITIONS,
    BonusGrant,
    EnteredValue,
    Evaluation,
    EvaluationState,
    MeasureKind,
    Objection,
    ObjectionState,
    PublishedList,
    ResultSet,
    SubjectResult,
    SupervisoryMeasure,
)
from .schemes import (  # noqa: F401
    AwardProgramme,
    BonusItem,
    DeductionType,
    Direction,
    Indicator,
    IndicatorSource,
    ProgrammeKind,
    SchemeState,
    SchemeVersion,
    TieBreak,
)
