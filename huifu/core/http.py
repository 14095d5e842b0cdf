"""Small helpers every view and API view uses: one permission check, one way to show a service's
validation errors on a form, one way to run a form through a service. The rules themselves live in each app's ``permissions.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError


def require_perm(request: Any, perm: str, obj: Any = None) -> None:
    """Refuse (403; the API's error envelope turns it into ``permission_denied``) unless the
    request's user holds ``perm``, on ``obj`` when given. Objects outside the user's scope never
    get this far: their selectors answer 404 first."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (else on top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_submitted(request: Any, form: Any, call: Callable[..., Any], *, success: str) -> bool:
    """The shape of most POST views, in one place: when ``form`` is valid, ``call(**cleaned_data)``
    (the service, with the actor and the record bound by the caller); on success the ``success``
    message and True (the view redirects); a refusal of the service goes next to the fields it
    names, and an invalid form keeps its own errors: False (the view shows the form again, 400)."""
    if not form.is_valid():
        return False
    try:
        call(**form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, success)
    return True


def absolute_url(path: str) -> str:
    """A link for an e-mail or a calendar file: ``path`` on the site's public address
    (``HUIFU_SITE_URL``); a link that is already absolute is left as it is."""
    from django.conf import settings

    if not path.startswith("/"):
        return path
    return f"{settings.SITE_URL.rstrip('/')}{path}"
