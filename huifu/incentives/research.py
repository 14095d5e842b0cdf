"""University research projects (课题研究) — investor education in the national education system.

A research project is an incentive ``Project`` of kind ``research``: staff open a call for a
year, a university (directory organisation of kind ``university``) applies with a topic as a
``Participation`` and the same apply → review → track → accept flow runs (decisions, progress
reports, results, attachments, working-day deadlines). Nothing here is a second copy of that
flow; this module only holds the figures other apps read (``huifu.universities``: MOU
obligations and coverage).
"""

from __future__ import annotations

from .models import Participation, ParticipationStatus, ProjectKind

# "Delivered" research topics: approved at review and not failed, withdrawn or rejected —
# in tracking (in progress), results under acceptance, accepted, closing review or closed.
DELIVERED_STATES = frozenset(
    {
        ParticipationStatus.TRACKING,
        ParticipationStatus.ACCEPTANCE_REVIEW,
        ParticipationStatus.ACCEPTED,
        ParticipationStatus.CLOSING_REVIEW,
        ParticipationStatus.CLOSED,
    }
)

DELIVERED_DEFINITION = (
    "Research topics of the university in research projects of the year (the call's year), "
    "approved by the exchange and in progress (tracking or results under acceptance) or accepted "
    "(including closing review and closed). Applications awaiting review, rejected, withdrawn "
    "and not accepted (failed) topics are not counted. Each participation is one topic."
)


def research_participations(*, university_id: int, year: int):  # noqa: ANN201
    """The university's research participations of ``year`` (projects' year), unscoped:
    callers check the reader's right to see the university."""
    return Participation.objects.filter(
        project__kind=ProjectKind.RESEARCH, project__year=year, organisation_id=university_id
    )


def delivered_research_topics(university_id: int, year: int) -> int:
    """How many research topics ``university_id`` delivered in ``year`` (see
    ``DELIVERED_DEFINITION``: accepted or in progress; one query)."""
    return research_participations(university_id=university_id, year=year).filter(status__in=DELIVERED_STATES).count()
