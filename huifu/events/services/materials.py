"""Session materials (slides, recordings, handouts) and their compliance review.

* ``material_create`` / ``material_update``: staff or the session's co-organiser uploads a file
  (through ``huifu.files``: checked by content, stored privately) or, for a recording, gives the
  replay link; the automatic pre-check (``huifu.events.material_checks``) stores its hints.
* ``material_submit``: draft or returned → submitted (awaiting review).
* ``material_approve``: a reviewer (``events.review_material``) who did not upload the material
  ticks every active item of the compliance checklist; the material is published to its audience.
* ``material_return``: the reviewer sends it back with a reason.
* ``material_withdraw``: from every state but withdrawn; it is gone from every page, file link and
  API answer at once (the visibility rule reads the state on every request; nothing is cached).

Each is one transaction with one audit entry; errors carry stable codes: ``illegal_transition``,
``own_material``, ``checklist_incomplete``, ``no_checklist``, ``file_or_link``, ``session_cancelled``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from huifu.accounts.system import is_system_actor
from huifu.audit.services import audit_create, audit_transition, audit_update, snapshot
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.files.kinds import DOCX, MP4, PDF, PPTX, FileKind
from huifu.files.services import file_store
from huifu.notifications import kinds as notification_kinds
from huifu.notifications import messages as notification_messages
from huifu.notifications.services import notify

from ..material_checks import precheck
from ..models import (
    MATERIAL_TRANSITIONS,
    ComplianceCheckItem,
    Material,
    MaterialAudience,
    MaterialKind,
    MaterialState,
    Session,
    SessionState,
)
from ..selectors_materials import MATERIAL_PURPOSE

# The file kinds each material kind accepts (judged by content by huifu.files).
KINDS_FOR: dict[str, tuple[FileKind, ...]] = {
    MaterialKind.SLIDES: (PDF, PPTX),
    MaterialKind.HANDOUT: (PDF, DOCX),
    MaterialKind.RECORDING: (MP4,),
}
_KIND_CODE_BY_TYPE = {k.content_type: k.code for kinds in KINDS_FOR.values() for k in kinds}
_AUDITED = ("kind", "title", "audience", "file_id", "link", "precheck")


class MaterialError(ValidationError):
    """The operation does not fit the material's state or the reviewer."""


def _clean(kind: Any, title: Any, audience: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in MaterialKind.values:
        errors["kind"] = _("Choose slides, a recording or a handout.")
    if audience not in MaterialAudience.values:
        errors["audience"] = _("Choose who may see the material once it is approved.")
    text = "" if title is None else str(title).strip()
    if not text:
        errors["title"] = _("This field is required.")
    elif len(text) > 200:
        errors["title"] = _("At most %(n)d characters.") % {"n": 200}
    if errors:
        raise ValidationError(errors, code="invalid")
    return {"kind": kind, "title": text, "audience": audience}


def _clean_link(kind: str, link: Any) -> str:
    link = "" if link is None else str(link).strip()
    if not link:
        return ""
    if kind != MaterialKind.RECORDING:
        raise ValidationError({"link": _("Only a recording may be a link; upload slides and handouts as files.")})
    if len(link) > 500:
        raise ValidationError({"link": _("At most %(n)d characters.") % {"n": 500}}, code="max_length")
    try:
        URLValidator(schemes=["https", "http"])(link)
    except ValidationError:
        raise ValidationError({"link": _("Enter the full address of the replay, starting with https://.")})
    return link


def _store(*, actor: Any, kind: str, upload: Any) -> tuple[Any, dict[str, Any]]:
    """Store the upload through huifu.files and pre-check it; errors keyed ``upload``."""
    try:
        stored = file_store(
            upload=upload, actor=actor, organisation=None, purpose=MATERIAL_PURPOSE, allowed_kinds=KINDS_FOR[kind]
        )
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}, code=getattr(exc, "code", None) or "invalid_file")
    hints = precheck(kind_code=_KIND_CODE_BY_TYPE.get(stored.content_type), file=upload)
    return stored, hints


def _file_or_link(kind: str, upload: Any, link: str, *, required: bool) -> None:
    if upload and link:
        raise MaterialError({"link": _("Give either a file or a replay link, not both.")}, code="file_or_link")
    if required and not upload and not link:
        message = (
            _("Upload the recording or give the link to the platform's replay.")
            if kind == MaterialKind.RECORDING
            else _("Choose the file to upload.")
        )
        raise MaterialError({"upload": message}, code="file_or_link")


@transaction.atomic
def material_create(
    *, actor: Any, session: Session, kind: str, title: str, audience: str, upload: Any = None, link: str = ""
) -> Material:
    """Add a draft material to ``session``: a file (slides .pdf/.pptx, handout .pdf/.docx,
    recording .mp4) or, for a recording only, the replay link. Nothing is stored when any of it
    is refused (the file's blob is removed when the transaction rolls back)."""
    session = Session.objects.get(pk=session.pk)
    require(actor, "events.upload_material", session)
    if session.state == SessionState.CANCELLED:
        raise MaterialError(_("The session is cancelled: no material can be added."), code="session_cancelled")
    data = _clean(kind, title, audience)
    link = _clean_link(data["kind"], link)
    _file_or_link(data["kind"], upload, link, required=True)
    stored, hints = (
        _store(actor=actor, kind=data["kind"], upload=upload) if upload else (None, precheck(kind_code=None, file=None))
    )
    material = Material.objects.create(
        session=session, **data, file=stored, link=link, precheck=hints, uploaded_by=actor
    )
    audit_create(actor=actor, target=material)
    return material


def _lock(material: Material) -> Material:
    return Material.objects.select_for_update().select_related("session").get(pk=material.pk)


@transaction.atomic
def material_update(
    *, actor: Any, material: Material, title: str, audience: str, upload: Any = None, link: str | None = None
) -> Material:
    """Change a draft or returned material; a new ``upload`` or ``link`` replaces the old one
    (and is pre-checked again). ``link=None`` and no upload keep the current file or link."""
    material = _lock(material)
    require(actor, "events.change_material", material)
    if material.state not in MaterialState.editable():
        raise MaterialError(
            _("Only a draft or a returned material can be changed; withdraw it and upload a new one."),
            code="illegal_transition",
        )
    data = _clean(material.kind, title, audience)
    new_link = _clean_link(material.kind, link) if link is not None else ""
    _file_or_link(material.kind, upload, new_link, required=False)
    before = snapshot(material, _AUDITED)
    material.title, material.audience = data["title"], data["audience"]
    if upload:
        material.file, material.precheck = _store(actor=actor, kind=material.kind, upload=upload)
        material.link = ""
    elif new_link:
        material.file, material.link = None, new_link
        material.precheck = precheck(kind_code=None, file=None)
    material.save()
    audit_update(actor=actor, target=material, before=before)
    return material


def _move(material: Material, target: str, actor: Any, message: str = "") -> Material:
    if target not in MATERIAL_TRANSITIONS[material.state]:
        raise MaterialError(
            _("A material that is “%(state)s” cannot become “%(target)s”.")
            % {"state": material.get_state_display(), "target": MaterialState(target).label},
            code="illegal_transition",
        )
    source = material.state
    material.state = target
    material.save()
    audit_transition(actor=actor, target=material, source=source, target_state=target, message=message[:500])
    return material


@transaction.atomic
def material_submit(*, actor: Any, material: Material) -> Material:
    """Send a draft (or a returned material, once changed) to the compliance review."""
    material = _lock(material)
    require(actor, "events.change_material", material)
    material.submitted_at = timezone.now()
    return _move(material, MaterialState.SUBMITTED, actor)


def _check_reviewer(actor: Any, material: Material) -> None:
    require(actor, "events.view_material_queue")
    if not is_system_actor(actor) and material.uploaded_by_id == actor.pk:
        raise MaterialError(_("You uploaded this material: another reviewer must review it."), code="own_material")
    require(actor, "events.review_material", material)


def _checklist(ticked: Iterable[str], *, complete: bool) -> list[dict[str, Any]]:
    items = list(ComplianceCheckItem.objects.filter(is_active=True).order_by("sort_order", "pk"))
    if not items:
        raise MaterialError(
            _("The compliance checklist is empty: an administrator must set its items before any review."),
            code="no_checklist",
        )
    ticked = {str(code) for code in ticked}
    unknown = ticked - {item.code for item in items}
    if unknown:
        raise MaterialError(
            _("Unknown checklist items: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}, code="unknown_item"
        )
    language = get_language()
    missing = [item.label(language) for item in items if item.code not in ticked]
    if complete and missing:
        raise MaterialError(
            _("Tick every item to approve. Not ticked: %(items)s.") % {"items": "；".join(missing)},
            code="checklist_incomplete",
        )
    return [{"code": item.code, "label": item.label_zh, "ticked": item.code in ticked} for item in items]


def _decision_mail(material: Material) -> None:
    """Tell the uploader (often a co-organiser outside the exchange) what the review decided, in
    the reviewer's transaction like every mail (outbox)."""
    uploader = material.uploaded_by
    if uploader is None or not uploader.email or not uploader.is_active:
        return
    approved = material.state == MaterialState.APPROVED
    decision = "已审核通过并发布" if approved else "已退回，请修改后重新提交"
    lines = [
        f"{uploader.full_name or uploader.email}，您好：",
        "",
        f"您为“{material.session.title}”（{material.session.date:%Y年%m月%d日}）上传的资料“{material.title}”{decision}。",
    ]
    if material.review_note:
        lines.append(f"审核意见：{material.review_note}")
    lines += ["", absolute_url(material.get_absolute_url())]
    notify(
        recipient=uploader,
        kind=notification_kinds.DECISION,
        message=notification_messages.MATERIAL_APPROVED if approved else notification_messages.MATERIAL_RETURNED,
        params={"title": material.title},
        url=material.get_absolute_url(),
        organisation=uploader.organisation,
        mail={
            "to": uploader.email,
            "subject": f"[会服·投资者教育] 资料审核结果：{material.title}",
            "body_text": "\n".join(lines),
            "organisation": uploader.organisation,
            "topic": "events",
        },
    )


@transaction.atomic
def material_approve(*, actor: Any, material: Material, ticked: Iterable[str], note: str = "") -> Material:
    """Approve a submitted material and publish it to its audience. ``ticked``: the codes of the
    checklist items the reviewer confirmed; every active item is required. The reviewer must not
    be the uploader (``own_material``; a database constraint holds it too)."""
    material = _lock(material)
    _check_reviewer(actor, material)
    if material.state != MaterialState.SUBMITTED:
        return _move(material, MaterialState.APPROVED, actor)  # raises illegal_transition
    now = timezone.now()
    material.checklist = _checklist(ticked, complete=True)
    material.reviewed_by = actor if not is_system_actor(actor) else None
    if material.reviewed_by is None:
        raise PermissionDenied("a compliance approval is a person's decision")
    material.reviewed_at = now
    material.published_at = now
    material.review_note = str(note or "").strip()[:2000]
    material = _move(material, MaterialState.APPROVED, actor, material.review_note)
    _decision_mail(material)
    return material


@transaction.atomic
def material_return(*, actor: Any, material: Material, reason: str, ticked: Iterable[str] = ()) -> Material:
    """Send a submitted material back to its uploader with ``reason`` (required)."""
    material = _lock(material)
    _check_reviewer(actor, material)
    reason = str(reason or "").strip()
    if not reason:
        raise MaterialError({"reason": _("Say what must change before the material can be approved.")}, code="required")
    if material.state != MaterialState.SUBMITTED:
        return _move(material, MaterialState.RETURNED, actor)  # raises illegal_transition
    material.checklist = _checklist(ticked, complete=False)
    material.reviewed_by = actor if not is_system_actor(actor) else None
    if material.reviewed_by is None:
        raise PermissionDenied("a compliance review is a person's decision")
    material.reviewed_at = timezone.now()
    material.review_note = reason[:2000]
    material = _move(material, MaterialState.RETURNED, actor, material.review_note)
    _decision_mail(material)
    return material


@transaction.atomic
def material_withdraw(*, actor: Any, material: Material, reason: str = "") -> Material:
    """Withdraw a material (terminal): it leaves the public page, its file link and the API at
    once. Staff and the session's co-organisers may withdraw."""
    material = _lock(material)
    require(actor, "events.change_material", material)
    material.withdrawn_at = timezone.now() if material.state != MaterialState.WITHDRAWN else material.withdrawn_at
    return _move(material, MaterialState.WITHDRAWN, actor, str(reason or "").strip())
