"""What a page shows of an application to this user, decided once for pages, exports and the
API: identity hidden from judges in a blind category, the result only once published (to the
company) or to managers, the actions the user may take now (state × permission × phase)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import selectors
from .models import ApplicationState, AwardState, PhaseKind
from .services.common import phase_of, phase_state


def phase_rows(selection: Any) -> list[tuple[Any, str]]:
    return [(p, phase_state(selection, p.kind)) for p in sorted(selection.phases.all(), key=lambda p: p.opens_at)]


@dataclass
class ApplicationView:
    role: str
    hidden: bool
    title: str
    organisation: str | None
    team_name: str | None
    members: list[Any] | None
    materials: list[tuple[str, str]] = field(default_factory=list)
    result: Any = None
    award: Any = None
    certificate_url: str = ""
    show_history: bool = False


def application_view(user: Any, application: Any) -> ApplicationView:
    role = selectors.viewer_role(user, application)
    hidden = application.category.blind and role == "judge"
    materials = []
    for index, material in enumerate(application.materials.select_related("file"), start=1):
        label = _("Material %(n)s") % {"n": index} if hidden else material.title
        materials.append((label, _file_url(material.file)))
    result = None
    award = None
    certificate_url = ""
    if role == "manager":
        result = application.result_rows.select_related("run").order_by("-run__version").first()
    elif role == "company":
        result = selectors.published_row(application=application)
    if role != "judge":
        award = application.award if hasattr(application, "award") else None
        if award is not None and award.state == AwardState.AWARDED and award.commendation_ref:
            from django.urls import NoReverseMatch, reverse

            try:
                certificate_url = reverse("awards:certificate_pdf", args=[award.commendation_ref])
            except NoReverseMatch:
                certificate_url = ""
    return ApplicationView(
        role=role,
        hidden=hidden,
        title=application.blind_code if hidden else _display(application),
        organisation=None if hidden else application.organisation.name_zh,
        team_name=None if hidden else application.team_name,
        members=None if hidden else list(application.members.all()),
        materials=materials,
        result=result,
        award=award,
        certificate_url=certificate_url,
        show_history=role == "manager",
    )


def _file_url(stored: Any) -> str:
    from django.urls import reverse

    return reverse("files:download", args=[stored.pk])


def _display(application: Any) -> str:
    from .services.results import display_name

    return f"{application.reference} {display_name(application)}"


def application_actions(user: Any, application: Any) -> dict[str, bool]:
    selection = application.category.selection
    apply_open = phase_state(selection, PhaseKind.APPLICATION) == "open"
    upload_open = phase_state(selection, PhaseKind.UPLOAD) == "open"
    can_change = user.has_perm("selections.change_application", application)
    can_confirm = user.has_perm("selections.confirm_application", application)
    state = application.state
    return {
        "edit": can_change and apply_open and state == ApplicationState.DRAFT,
        "submit": can_change and apply_open and state == ApplicationState.DRAFT,
        "return": can_confirm and apply_open and state == ApplicationState.SUBMITTED,
        "confirm": can_confirm and apply_open and state == ApplicationState.SUBMITTED,
        "withdraw": can_change and state in ApplicationState.live() and not hasattr(application, "award"),
        "upload": can_change and upload_open and state in ApplicationState.live(),
        "score": user.has_perm("selections.score_application", application)
        and phase_state(selection, PhaseKind.SCORING) == "open",
        "scoring_window": phase_of(selection, PhaseKind.SCORING),
    }
