"""Registration pages (registration helper): signing up oneself or a colleague, as one of the
session's audiences. Thin: parse, call ``services.registration_create``, answer with a message
(every refusal is a ``RegistrationError`` with a clear message; nothing is saved then)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Session, SessionState


def _open_session(pk: int) -> Session:
    """The published session with its series (no speakers, products… : the sign-up of a flash
    crowd reads one row)."""
    session = Session.objects.select_related("series").filter(state__in=SessionState.public(), pk=pk).first()
    if session is None:
        raise Http404
    return session


@login_required
@require_POST
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register oneself, or (member users) a colleague of the same company (``person`` = user
    id), as ``audience`` (one of the session's; the form asks when there is a choice)."""
    session = _open_session(pk)
    person = request.user
    person_id = request.POST.get("person", "")
    if person_id:
        person = (
            selectors.colleagues(user=request.user).filter(pk=int(person_id)).first() if person_id.isdigit() else None
        )
        if person is None:
            messages.error(request, _("Choose a colleague of your company."))
            return redirect(session.get_public_url())
    try:
        registration = services.registration_create(
            actor=request.user, session=session, person=person, audience=request.POST.get("audience", "")[:50]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s: %(state)s.") % {"name": registration.person, "state": registration.get_state_display()},
        )
    return redirect(session.get_public_url())
