"""Handing winners to the awards commendation layer (``huifu.awards``): the winner list with its
notice, certificates with a verification QR and the public page are theirs; this module only
turns ``Award``s into the engine's ``WinnerSpec``s (in pinyin order, 排名不分先后) and passes a
revocation on. The selection's award programme belongs to the selection's organising department."""

from __future__ import annotations

from typing import Any

from huifu.awards.models import AwardEdition, AwardProgramme, ProgrammeKind, Winner
from huifu.awards.services import CategorySpec, WinnerSpec, edition_create, winner_revoke, winners_publish

PROGRAMME_CODE = "excellent-analyst"


def programme_for(selection: Any) -> AwardProgramme:
    programme, _created = AwardProgramme.objects.get_or_create(
        code=PROGRAMME_CODE,
        defaults={
            "kind": ProgrammeKind.ANALYST,
            "name_zh": "优秀分析师（团队）评选",
            "name_en": "Excellent analyst (team) selection",
            "department": selection.department,
        },
    )
    return programme


def edition_for(*, actor: Any, selection: Any) -> AwardEdition:
    programme = programme_for(selection)
    edition = AwardEdition.objects.filter(programme=programme, year=selection.year).first()
    if edition is None:
        edition = edition_create(
            actor=actor,
            programme=programme,
            year=selection.year,
            title_zh=selection.title,
            title_en=f"Excellent analyst (team) selection {selection.year}",
            categories=[
                CategorySpec(code=c.code, name_zh=c.name_zh, name_en=c.name_en) for c in selection.categories.all()
            ],
            unordered=True,
        )
    return edition


def source_of(award: Any) -> str:
    return f"selections.application:{award.application_id}"


def hand_over(*, actor: Any, run: Any, awards: list[Any]) -> list[Winner]:
    if not awards:
        return []
    category = run.category
    edition = edition_for(actor=actor, selection=category.selection)
    from .results import display_name

    specs = []
    for award in awards:
        application = award.application
        members = [m.full_name for m in application.members.all()]
        specs.append(
            WinnerSpec(
                category=category.code,
                organisation=application.organisation,
                name_zh=display_name(application),
                members=tuple(members) if application.team_name else (),
                rank=None,
                source=source_of(award),
            )
        )
    winners = winners_publish(actor=actor, edition=edition, winners=specs)
    for award, winner in zip(awards, winners, strict=True):
        award.commendation_ref = str(winner.pk)
        award.save(update_fields=["commendation_ref"])
    return winners


def winner_of(award: Any) -> Winner | None:
    if not award.commendation_ref:
        return None
    return Winner.objects.filter(pk=award.commendation_ref).first()


def revoke(*, actor: Any, award: Any, reason: str) -> None:
    winner = winner_of(award)
    if winner is not None:
        winner_revoke(actor=actor, winner=winner, reason=reason)
