"""Commendation: award editions, the published winner list, certificates, revocation.

This is the hand-over point for every award: the member rating and the overseas broker award call
``winners_publish`` when their final list is out; the excellent analyst selection
(``huifu.selections``) calls it with its own winners (already in pinyin order). Winners, their
certificate numbers (gapless per year: ``AW2024-00001``) and verification codes are written in one
transaction, with one audit entry per winner and the notice to members published on commit of the
same transaction.

Lock order: the edition row, then the year's ``CertificateCounter`` row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.accounts.system import system_actor
from huifu.audit.services import audit_create, audit_record, audit_transition
from huifu.certificates.codes import verification_code
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.directory.models import Organisation, OrganisationKind
from huifu.notices.models import AudienceKind, NoticeCategory
from huifu.notices.services import notice_create_draft, notice_publish

from ..models import (
    AwardCategory,
    AwardEdition,
    AwardProgramme,
    CertificateCounter,
    EditionState,
    Winner,
    WinnerState,
)
from .errors import AwardsError


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name_zh: str
    name_en: str
    quota: int | None = None


@dataclass(frozen=True)
class WinnerSpec:
    """One winner handed over. ``category`` is the category's code; ``name_zh``/``name_en`` are
    printed as given (an organisation's name, a person's, or a team's name); ``members`` the
    team's members as printed; ``rank`` None when the list is 排名不分先后; ``source`` what the
    winner comes from (``"selections.application:12"``), unique per edition, so handing over the
    same winner twice is refused."""

    category: str
    organisation: Organisation
    name_zh: str
    name_en: str = ""
    members: Sequence[str] = field(default_factory=tuple)
    rank: int | None = None
    source: str = ""


def certificate_number(year: int, serial: int) -> str:
    return f"AW{year}-{serial:05d}"


@transaction.atomic
def edition_create(
    *,
    actor: Any,
    programme: AwardProgramme,
    year: int,
    title_zh: str,
    title_en: str,
    categories: Sequence[CategorySpec],
    unordered: bool = False,
) -> AwardEdition:
    """A draft edition of ``programme`` for ``year`` with its categories and quotas (data).
    Refused when the year has one already or a category code repeats."""
    require(actor, "awards.manage_programme", programme)
    if AwardEdition.objects.filter(programme=programme, year=year).exists():
        raise AwardsError({"year": _("%(year)s already has an edition of this award.") % {"year": year}})
    codes = [c.code for c in categories]
    if not categories or len(set(codes)) != len(codes):
        raise AwardsError({"categories": _("Give at least one category, each code once.")})
    if not title_zh.strip() or not title_en.strip():
        raise AwardsError({"title_zh": _("Give the title in Chinese and in English.")})
    edition = AwardEdition.objects.create(
        programme=programme, year=year, title_zh=title_zh.strip(), title_en=title_en.strip(), unordered=unordered
    )
    for order, spec in enumerate(categories):
        if spec.quota is not None and spec.quota < 0:
            raise AwardsError({"quota": _("A quota cannot be negative.")})
        AwardCategory.objects.create(
            edition=edition,
            code=spec.code,
            name_zh=spec.name_zh,
            name_en=spec.name_en,
            quota=spec.quota,
            sort_order=order,
        )
    audit_create(actor=actor, target=edition, message=", ".join(codes))
    return edition


def _next_serial(year: int) -> int:
    CertificateCounter.objects.get_or_create(year=year)
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _notice_text(edition: AwardEdition, winners: list[Winner]) -> tuple[str, str]:
    by_category: dict[int, list[Winner]] = {}
    for winner in winners:
        by_category.setdefault(winner.category_id, []).append(winner)
    english_first = edition.programme.english_first
    lines = []
    intro_zh = f"{edition.title_zh}获奖名单公布如下" + ("（排名不分先后）：" if edition.unordered else "：")
    intro_en = f"The winners of the {edition.title_en} are as follows" + (
        " (not ranked):" if edition.unordered else ":"
    )
    lines.extend([intro_en, intro_zh] if english_first else [intro_zh, intro_en])
    for category in edition.categories.all():
        names = by_category.get(category.pk, [])
        if not names:
            continue
        heading = (
            f"{category.name_en} / {category.name_zh}" if english_first else f"{category.name_zh} / {category.name_en}"
        )
        lines.append("")
        lines.append(heading)
        for w in names:
            printed = f"{w.name_en} / {w.name_zh}" if english_first and w.name_en else w.name_zh
            if w.members:
                printed += "（" + "、".join(w.members) + "）"
            lines.append(("  " + (f"{w.rank}. " if w.rank and not edition.unordered else "")) + printed)
    lines.append("")
    lines.append(
        ("Certificates can be checked at " if english_first else "证书可在此核验：") + absolute_url("/public/awards/")
    )
    title = (
        f"{edition.title_en} — winners / {edition.title_zh}获奖名单"
        if english_first
        else f"关于公布{edition.title_zh}获奖名单的通知 / {edition.title_en}: winners"
    )
    return title[:200], "\n".join(lines)


def _publish_notice(edition: AwardEdition, winners: list[Winner]) -> Any:
    """The notice to the members (or overseas brokers) naming the winners, issued by the
    programme's department. Written by the system actor: the award's own permission (owning
    department) has already been checked, and the audit entry of the publication names the user."""
    title, body = _notice_text(edition, winners)
    system = system_actor()
    if edition.programme.subject_kind == OrganisationKind.OVERSEAS_BROKER:
        audience = {"audience_kind": AudienceKind.ORG_KINDS, "audience_org_kinds": [OrganisationKind.OVERSEAS_BROKER]}
    else:
        audience = {"audience_kind": AudienceKind.ALL_MEMBERS}
    notice = notice_create_draft(
        actor=system,
        title=title,
        body=body,
        category=NoticeCategory.NOTICE,
        department=edition.programme.department,
        **audience,
    )
    return notice_publish(actor=system, notice=notice)


@transaction.atomic
def winners_publish(
    *, actor: Any, edition: AwardEdition, winners: Sequence[WinnerSpec], notify: bool = True
) -> list[Winner]:
    """Publish ``winners`` of ``edition`` in the order given (their ``position``), each with a
    certificate number and verification code, and (with ``notify``) a notice to members naming
    them. The edition becomes ``published``; a later call adds winners (e.g. a second category)
    and publishes another notice. Refused: no winners, an unknown category, a category whose
    quota would be exceeded, a ``source`` already handed over. Nothing is saved when refused."""
    edition = AwardEdition.objects.select_for_update().select_related("programme").get(pk=edition.pk)
    require(actor, "awards.publish_winners", edition)
    if not winners:
        raise AwardsError({"winners": _("There is nobody to publish.")})
    categories = {c.code: c for c in edition.categories.all()}
    counts: dict[str, int] = {}
    for spec in winners:
        if spec.category not in categories:
            raise AwardsError({"category": _("Unknown category “%(code)s”.") % {"code": spec.category}})
        if not spec.name_zh.strip():
            raise AwardsError({"name_zh": _("Every winner needs a Chinese name.")})
        counts[spec.category] = counts.get(spec.category, 0) + 1
    existing = dict(
        Winner.objects.filter(edition=edition, state=WinnerState.VALID)
        .values_list("category__code")
        .annotate(n=Count("pk"))
    )
    for code, n in counts.items():
        quota = categories[code].quota
        if quota is not None and existing.get(code, 0) + n > quota:
            raise AwardsError(
                {
                    "winners": _("%(category)s has a quota of %(quota)s; %(n)s winners would exceed it.")
                    % {"category": categories[code].name_zh, "quota": quota, "n": existing.get(code, 0) + n}
                },
                code="quota",
            )
    sources = [s.source for s in winners if s.source]
    if len(set(sources)) != len(sources) or Winner.objects.filter(edition=edition, source__in=sources).exists():
        raise AwardsError({"winners": _("A winner was handed over twice (same source).")})
    now = timezone.now()
    year = timezone.localdate(now).year
    start = Winner.objects.filter(edition=edition).count()
    created = []
    for offset, spec in enumerate(winners):
        serial = _next_serial(year)
        number = certificate_number(year, serial)
        winner = Winner.objects.create(
            edition=edition,
            category=categories[spec.category],
            organisation=spec.organisation,
            name_zh=spec.name_zh.strip(),
            name_en=spec.name_en.strip(),
            members=list(spec.members),
            rank=spec.rank,
            position=start + offset + 1,
            source=spec.source,
            year=year,
            serial=serial,
            number=number,
            code=verification_code(number),
            published_at=now,
            published_by=actor,
        )
        audit_create(actor=actor, target=winner, message=f"{edition} {spec.category}")
        created.append(winner)
    source_state = edition.state
    edition.state = EditionState.PUBLISHED
    edition.published_at = edition.published_at or now
    edition.published_by = edition.published_by or actor
    update = ["state", "published_at", "published_by"]
    if notify:
        edition.notice = _publish_notice(edition, created)
        update.append("notice")
    edition.save(update_fields=update)
    audit_transition(
        actor=actor,
        target=edition,
        source=source_state,
        target_state=edition.state,
        message=f"{len(created)} winners",
    )
    return created


@transaction.atomic
def winner_revoke(*, actor: Any, winner: Winner, reason: str) -> Winner:
    """Revoke a published award (e.g. after a later sanction). The winner stays in the history
    and on its certificate's verification page, marked revoked with the reason and date; it
    leaves the public list. Refused without a reason or when already revoked."""
    winner = Winner.objects.select_for_update().select_related("edition__programme").get(pk=winner.pk)
    require(actor, "awards.publish_winners", winner.edition)
    reason = (reason or "").strip()
    if not reason:
        raise AwardsError({"reason": _("Give the reason for revoking the award.")})
    if winner.state != WinnerState.VALID:
        raise AwardsError(_("This award was already revoked."), code="illegal_transition")
    winner.state = WinnerState.REVOKED
    winner.revoked_at = timezone.now()
    winner.revoked_by = actor
    winner.revocation_reason = reason
    winner.save(update_fields=["state", "revoked_at", "revoked_by", "revocation_reason"])
    audit_record(
        actor=actor,
        action="transition",
        target=winner,
        changes={"state": [WinnerState.VALID, WinnerState.REVOKED]},
        message=reason,
    )
    return winner
