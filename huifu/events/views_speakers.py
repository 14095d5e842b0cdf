"""Speaker pages: the pool, profiles (staff and public), invitations to a session, the speaker's
own invitations and the signed answer link of the e-mail. Thin: parse, call a selector or a
service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.http import add_service_errors, require_perm
from huifu.workdays.services import add_working_days

from . import selectors, services
from . import selectors_speakers as speakers
from .forms_speakers import AnswerForm, InviteForm, SpeakerForm, WithdrawForm
from .invitation_links import InvitationLinkInvalid, invitation_from_token
from .models import SpeakerKind

PAGE_SIZE = 50
# The reply date the invitation form proposes: this many working days from today.
DEFAULT_REPLY_WORKING_DAYS = 5


# --- the pool ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def speaker_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.view_speakers")
    can_manage = request.user.has_perm("events.manage_speakers")
    form = SpeakerForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require_perm(request, "events.manage_speakers")
        if form.is_valid():
            try:
                speaker = services.speaker_create(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Speaker added."))
                return redirect(speaker.get_absolute_url())
    kind = request.GET.get("kind", "")
    kind = kind if kind in SpeakerKind.values else ""
    query = request.GET.get("q", "").strip()[:100]
    qs = speakers.speaker_list(user=request.user, kind=kind, query=query)
    return render(
        request,
        "events/speakers/list.html",
        {
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "form": form,
            "kinds": SpeakerKind.choices,
            "kind": kind,
            "query": query,
            "querystring": "&".join(p for p in (f"kind={kind}" if kind else "", f"q={query}" if query else "") if p),
        },
    )


@login_required
def speaker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "events.view_speakers")
    speaker = speakers.speaker_get(user=request.user, speaker_id=pk)
    return render(
        request,
        "events/speakers/detail.html",
        {
            "speaker": speaker,
            "talks": speakers.speaker_talks(speaker),
            "invitations": speakers.speaker_invitations(speaker=speaker),
            "can_manage": request.user.has_perm("events.manage_speakers", speaker),
            "public": False,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def speaker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "events.view_speakers")
    speaker = speakers.speaker_get(user=request.user, speaker_id=pk)
    require_perm(request, "events.manage_speakers", speaker)
    initial = {
        "name": speaker.name,
        "kind": speaker.kind,
        "title": speaker.title,
        "organisation_name": speaker.organisation_name,
        "organisation": speaker.organisation,
        "account_email": speaker.user.email if speaker.user_id else "",
        "contact_email": speaker.contact_email,
        "topics": speaker.topics,
        "products": list(speaker.products.all()),
        "bio": speaker.bio,
    }
    form = SpeakerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.speaker_update(actor=request.user, speaker=speaker, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Speaker saved."))
            return redirect(speaker.get_absolute_url())
    return render(request, "events/speakers/form.html", {"form": form, "speaker": speaker})


def public_speaker(request: HttpRequest, pk: int) -> HttpResponse:
    """A speaker's public profile: published sessions only (404 for a speaker without any)."""
    speaker = speakers.public_speaker_get(speaker_id=pk)
    return render(
        request,
        "events/speakers/detail.html",
        {"speaker": speaker, "talks": speakers.speaker_talks(speaker, published_only=True), "public": True},
    )


# --- invitations ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "events.view_session_list")
    session = selectors.session_get(user=request.user, session_id=pk)
    require_perm(request, "events.invite_speaker", session)
    form = InviteForm(
        request.POST or None,
        speakers=speakers.invitable_speakers(user=request.user, session=session),
        initial={"reply_by": add_working_days(timezone.localdate(), DEFAULT_REPLY_WORKING_DAYS).date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.speaker_invite(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s has been invited; an e-mail is on its way.") % {"name": invitation.speaker.name}
            )
            return redirect(session.get_absolute_url())
    return render(request, "events/speakers/invite.html", {"form": form, "session": session})


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = speakers.manageable_invitation_get(user=request.user, invitation_id=pk)
    require_perm(request, "events.withdraw_speaker_invitation", invitation)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.speaker_invitation_withdraw(actor=request.user, invitation=invitation, reason=reason)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The invitation has been withdrawn."))
    return redirect(invitation.session.get_absolute_url())


@login_required
def my_speaker_invitations(request: HttpRequest) -> HttpResponse:
    """The user's invitations as a speaker (to answer), and for a member company's users their
    analysts' invitations (to follow)."""
    qs = speakers.my_speaker_invitations(user=request.user)
    return render(
        request,
        "events/speakers/my_invitations.html",
        {"page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), "answer_form": AnswerForm()},
    )


def _decision(request: HttpRequest) -> bool | None:
    """True for the accept button, False for the decline button, None for neither."""
    if "accept" in request.POST:
        return True
    return False if "decline" in request.POST else None


def _answer_messages(request: HttpRequest, invitation: Any) -> None:
    if invitation.state == "accepted":
        messages.success(request, _("Thank you: you have accepted the invitation."))
    else:
        messages.success(request, _("Your reply has been recorded: you have declined the invitation."))


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = speakers.my_speaker_invitation_get(user=request.user, invitation_id=pk)
    require_perm(request, "events.answer_speaker_invitation", invitation)
    form = AnswerForm(request.POST)
    accept = _decision(request)
    if not form.is_valid() or accept is None:
        messages.error(request, _("Choose accept or decline; the note has at most 1000 characters."))
        return redirect("events:my_speaker_invitations")
    try:
        invitation = services.speaker_invitation_answer(
            actor=request.user, invitation=invitation, accept=accept, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        _answer_messages(request, invitation)
    return redirect("events:my_speaker_invitations")


@require_http_methods(["GET", "POST"])
def invitation_link(request: HttpRequest, token: str) -> HttpResponse:
    """The answer link of the e-mail, no login: a forged, altered or replaced link answers 404
    with a message; an answered, withdrawn or expired invitation shows its state."""
    try:
        invitation = invitation_from_token(token)
    except InvitationLinkInvalid:
        return render(request, "events/speakers/link_invalid.html", status=404)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and (not form.is_valid() or _decision(request) is None):
        messages.error(request, _("Choose accept or decline; the note has at most 1000 characters."))
        return redirect(request.path)
    if request.method == "POST":
        try:
            invitation = services.speaker_invitation_answer_by_link(
                invitation=invitation, accept=bool(_decision(request)), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            _answer_messages(request, invitation)
        return redirect(request.path)
    return render(
        request,
        "events/speakers/answer.html",
        {
            "invitation": invitation,
            "session": invitation.session,
            "form": form,
            "open": invitation.is_pending and timezone.now() <= invitation.reply_by,
        },
    )
