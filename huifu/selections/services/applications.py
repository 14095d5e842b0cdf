"""Applications by member companies: one category per applicant, the roster with qualification
certificate numbers, the company admin's confirmation (the seal), withdrawal, materials.

The roster can change only while the application window is open: it is frozen at the deadline.
One person (certificate number) is on at most one live application of a category (a database
constraint; the service names the person first), and an individual applies in one category of
a selection only."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition
from huifu.core.permissions import require
from huifu.files import kinds
from huifu.files.services import file_store

from ..metadata import strip_metadata
from ..models import (
    APPLICATION_TRANSITIONS,
    MATERIAL_PURPOSE,
    ApplicantKind,
    Application,
    ApplicationState,
    Category,
    Material,
    PhaseKind,
    TeamMember,
)
from .common import SelectionError, require_phase

CERTIFICATE_RE = re.compile(r"^[FZ]\d{7}$")
MATERIAL_KINDS = (kinds.PDF, kinds.DOCX)


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("category__selection").get(pk=application.pk)


def _guard(application: Application, target: str) -> None:
    if target not in APPLICATION_TRANSITIONS.get(application.state, frozenset()):
        raise SelectionError(
            _("An application that is “%(state)s” cannot become “%(target)s”.")
            % {"state": application.get_state_display(), "target": ApplicationState(target).label},
            code="illegal_transition",
        )


def _clean_members(category: Category, kind: str, members: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    errors: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(members, start=1):
        name = (raw.get("full_name") or "").strip()
        cert = (raw.get("certificate_no") or "").strip().upper()
        if not name and not cert:
            continue
        if not name:
            errors.append(_("Row %(row)s: give the person's name.") % {"row": index})
        if not CERTIFICATE_RE.match(cert):
            errors.append(
                _(
                    "Row %(row)s: “%(value)s” is not a qualification certificate number (F or Z and 7 digits, e.g. Z0012345)."
                )
                % {"row": index, "value": cert}
            )
        elif cert in seen:
            errors.append(_("Row %(row)s: %(value)s is listed twice.") % {"row": index, "value": cert})
        seen.add(cert)
        former = raw.get("former_organisation")
        former_until = raw.get("former_until")
        if (former is None) != (former_until is None):
            errors.append(
                _("Row %(row)s: give both the former employer and the day the person left it.") % {"row": index}
            )
        rows.append(
            {
                "full_name": name,
                "certificate_no": cert,
                "is_leader": bool(raw.get("is_leader")),
                "former_organisation": former,
                "former_until": former_until,
            }
        )
    if kind == ApplicantKind.INDIVIDUAL and len(rows) != 1:
        errors.append(_("An individual application names exactly one person."))
    if kind == ApplicantKind.TEAM:
        if not 2 <= len(rows) <= category.max_team_size:
            errors.append(_("A team has 2 to %(max)s members.") % {"max": category.max_team_size})
        if sum(1 for r in rows if r["is_leader"]) != 1:
            errors.append(_("Mark exactly one member as the team leader."))
    if kind == ApplicantKind.INDIVIDUAL and rows:
        rows[0]["is_leader"] = True
    if errors:
        raise SelectionError({"members": errors}, code="bad_roster")
    return rows


def _check_people(category: Category, rows: list[dict[str, Any]], kind: str, exclude: Application | None) -> None:
    """Name each person already on a live application of this category (or, for an individual,
    of another category of the selection)."""
    certs = [r["certificate_no"] for r in rows]
    taken = TeamMember.objects.filter(category=category, live=True, certificate_no__in=certs)
    if exclude is not None:
        taken = taken.exclude(application=exclude)
    errors = [
        _(
            "%(name)s (%(cert)s) is already on another application of this category; a person may be in one team of a category only."
        )
        % {"name": m.full_name, "cert": m.certificate_no}
        for m in taken
    ]
    if kind == ApplicantKind.INDIVIDUAL:
        other = TeamMember.objects.filter(
            category__selection=category.selection,
            live=True,
            certificate_no__in=certs,
            application__kind=ApplicantKind.INDIVIDUAL,
        ).exclude(category=category)
        if exclude is not None:
            other = other.exclude(application=exclude)
        errors += [
            _("%(name)s (%(cert)s) already applies as an individual in another category; one category per applicant.")
            % {"name": m.full_name, "cert": m.certificate_no}
            for m in other
        ]
    if errors:
        raise SelectionError({"members": errors}, code="person_taken")


def _save_members(application: Application, rows: list[dict[str, Any]]) -> None:
    try:
        with transaction.atomic():
            application.members.all().delete()
            TeamMember.objects.bulk_create(
                [TeamMember(application=application, category=application.category, live=True, **row) for row in rows]
            )
    except IntegrityError as exc:  # a parallel application took the person first
        raise SelectionError(
            {"members": [_("A person on this roster is already on another application of this category.")]},
            code="person_taken",
        ) from exc


@transaction.atomic
def application_create(
    *,
    actor: Any,
    category: Category,
    kind: str,
    members: Iterable[Mapping[str, Any]],
    team_name: str = "",
    summary: str = "",
) -> Application:
    """A draft application of the actor's company, inside the application window."""
    require(actor, "selections.apply")
    category = Category.objects.select_related("selection").get(pk=category.pk)
    require_phase(category.selection, PhaseKind.APPLICATION)
    if kind not in ApplicantKind.values:
        raise SelectionError({"kind": _("Choose individual or team.")}, code="invalid")
    if kind != category.applicant_kind:
        raise SelectionError(
            {"kind": _("This category takes %(kind)s applications.") % {"kind": category.get_applicant_kind_display()}},
            code="wrong_kind",
        )
    team_name = (team_name or "").strip()
    if kind == ApplicantKind.TEAM and not team_name:
        raise SelectionError({"team_name": _("Give the team a name.")}, code="required")
    rows = _clean_members(category, kind, members)
    _check_people(category, rows, kind, exclude=None)
    Category.objects.select_for_update().filter(pk=category.pk).first()  # numbers are gapless per category
    number = (Application.objects.filter(category=category).aggregate(m=Max("number"))["m"] or 0) + 1
    application = Application.objects.create(
        category=category,
        organisation=actor.organisation,
        kind=kind,
        team_name=team_name if kind == ApplicantKind.TEAM else "",
        summary=(summary or "").strip(),
        number=number,
        blind_code=secrets.token_hex(3).upper(),
        created_by=actor,
    )
    _save_members(application, rows)
    audit_create(actor=actor, target=application)
    return application


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application: Application,
    members: Iterable[Mapping[str, Any]],
    team_name: str = "",
    summary: str = "",
) -> Application:
    """Change a draft's roster and texts; refused after the application deadline (the roster is
    frozen then)."""
    application = _lock(application)
    require(actor, "selections.change_application", application)
    require_phase(application.category.selection, PhaseKind.APPLICATION, field="members")
    if application.state != ApplicationState.DRAFT:
        raise SelectionError(_("Only a draft can be changed; ask your admin to return it first."), code="not_editable")
    if application.kind == ApplicantKind.TEAM and not (team_name or "").strip():
        raise SelectionError({"team_name": _("Give the team a name.")}, code="required")
    rows = _clean_members(application.category, application.kind, members)
    _check_people(application.category, rows, application.kind, exclude=application)
    before = {"team_name": application.team_name, "members": [m.certificate_no for m in application.members.all()]}
    application.team_name = (team_name or "").strip() if application.kind == ApplicantKind.TEAM else ""
    application.summary = (summary or "").strip()
    application.save(update_fields=["team_name", "summary"])
    _save_members(application, rows)
    after = {"team_name": application.team_name, "members": [r["certificate_no"] for r in rows]}
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=application,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return application


def _move(actor: Any, application: Application, target: str, **fields: Any) -> Application:
    source = application.state
    _guard(application, target)
    application.state = target
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["state", *fields])
    audit_transition(actor=actor, target=application, source=source, target_state=target)
    return application


@transaction.atomic
def application_submit(*, actor: Any, application: Application) -> Application:
    """Send the draft to the company's admin for confirmation."""
    application = _lock(application)
    require(actor, "selections.change_application", application)
    require_phase(application.category.selection, PhaseKind.APPLICATION)
    return _move(actor, application, ApplicationState.SUBMITTED, submitted_at=timezone.now())


@transaction.atomic
def application_return(*, actor: Any, application: Application) -> Application:
    """The admin sends a submitted application back to draft."""
    application = _lock(application)
    require(actor, "selections.confirm_application", application)
    require_phase(application.category.selection, PhaseKind.APPLICATION)
    return _move(actor, application, ApplicationState.DRAFT)


@transaction.atomic
def application_confirm(*, actor: Any, application: Application) -> Application:
    """The company admin's confirmation (the seal), before the application deadline. Conflicts
    of the panel are computed and the judges who are not recused are told (by anonymous code in
    a blind category)."""
    application = _lock(application)
    require(actor, "selections.confirm_application", application)
    require_phase(application.category.selection, PhaseKind.APPLICATION)
    _move(actor, application, ApplicationState.CONFIRMED, confirmed_by=actor, confirmed_at=timezone.now())
    from .judging import conflicts_refresh, tell_judges

    conflicts_refresh(category=application.category)
    tell_judges(application=application)
    return application


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application) -> Application:
    """Withdraw before publication; the people on it are free to apply elsewhere again."""
    application = _lock(application)
    require(actor, "selections.change_application", application)
    if hasattr(application, "award"):
        raise SelectionError(_("An awarded application cannot be withdrawn."), code="illegal_transition")
    _move(actor, application, ApplicationState.WITHDRAWN)
    application.members.update(live=False)
    return application


@transaction.atomic
def material_add(*, actor: Any, application: Application, upload: Any, title: str) -> Material:
    """Upload a material (PDF or Word) inside the upload window. In a blind category the file's
    author and company properties are removed and it is stored under an anonymous name."""
    application = _lock(application)
    require(actor, "selections.change_application", application)
    require_phase(application.category.selection, PhaseKind.UPLOAD, field="file")
    if application.state not in (ApplicationState.SUBMITTED, ApplicationState.CONFIRMED, ApplicationState.DRAFT):
        raise SelectionError({"file": _("This application is withdrawn.")}, code="illegal_transition")
    title = (title or "").strip()
    if not title:
        raise SelectionError({"title": _("Give the material a title.")}, code="required")
    name = getattr(upload, "name", "") or "file"
    stripped: list[str] = []
    if application.category.blind:
        upload.seek(0)
        data, stripped = strip_metadata(upload.read(), name)
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
        count = application.materials.count() + 1
        upload = ContentFile(data, name=f"material-{application.blind_code}-{count}.{extension}")
    stored = file_store(
        upload=upload,
        actor=actor,
        organisation=application.organisation,
        purpose=MATERIAL_PURPOSE,
        allowed_kinds=MATERIAL_KINDS,
    )
    material = Material.objects.create(application=application, file=stored, title=title, stripped=stripped)
    audit_create(actor=actor, target=material, message=gettext_noop("material added"))
    return material
