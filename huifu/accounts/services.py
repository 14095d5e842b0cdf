"""Writes on accounts: one named operation each, keyword-only, one transaction, one audit entry.

Who may call what is decided by ``permissions.py``; these functions re-check the scope rules that
protect other organisations (an org admin never touches another organisation's users, whatever
the form or API body says), so no caller can bypass them.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_update, snapshot
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.directory.models import Department, Organisation, OrganisationKind
from huifu.outbox.services import mail_enqueue

from .models import OrgRole, PersonalAccessToken, User, UserKind
from .predicates import is_coordinator, is_org_admin
from .system import is_system_actor

logger = logging.getLogger(__name__)

# The kinds of user the exchange or an org admin creates; public participants register themselves.
MANAGED_KINDS = (UserKind.STAFF, UserKind.MEMBER, UserKind.PARTNER, UserKind.REGULATOR)
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def user_kind_for_organisation(organisation: Organisation) -> str:
    """The only kind of user an organisation of this kind can have."""
    if organisation.kind in OrganisationKind.member_kinds():
        return UserKind.MEMBER
    if organisation.kind in OrganisationKind.regulator_kinds():
        return UserKind.REGULATOR
    return UserKind.PARTNER


def _require_manager(actor: Any) -> None:
    require(actor, "accounts.add_user", message=_("You may not manage user accounts."))


def _require_scope(*, actor: Any, user: User) -> None:
    """Coordinator: anyone. Org admin: users of their own organisation only."""
    _require_manager(actor)
    require(actor, "accounts.change_user", user, message=_("You can only manage users of your own organisation."))


def _password_link(user: User) -> str:
    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": token})
    return absolute_url(path)


def _send_invitation(*, user: User, actor: Any) -> None:
    """Queue the 'your account is ready, set your password' mail (in the recipient's language)."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "user": user,
            "actor": actor,
            "password_url": _password_link(user),
            "login_url": absolute_url(reverse("account_login")),
            "product_name": settings.HUIFU_PRODUCT_NAME,
            "timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
        body = render_to_string("accounts/email/invitation_message.txt", context)
    mail_enqueue(
        to=user.email, subject=subject, body_text=body, recipient=user, organisation=user.organisation, topic="account"
    )


def _validate_affiliation(
    *,
    actor: Any,
    kind: str,
    organisation: Organisation | None,
    department: Department | None,
    org_role: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in MANAGED_KINDS:
        errors["kind"] = [_("Choose staff, member, partner or regulator; public participants register themselves.")]
        return errors
    if not is_coordinator(actor):
        # An org admin: own organisation only, never exchange staff.
        if kind == UserKind.STAFF:
            errors["kind"] = [_("Only Member Management can create exchange staff accounts.")]
        if organisation is None or organisation.pk != actor.organisation_id:
            errors["organisation"] = [_("You can only create users in your own organisation.")]
        if errors:
            return errors
    if kind == UserKind.STAFF:
        if department is None:
            errors["department"] = [_("Exchange staff need a department.")]
        if organisation is not None:
            errors["organisation"] = [_("Exchange staff belong to no organisation.")]
        if org_role:
            errors["org_role"] = [_("Exchange staff have no role in an organisation.")]
        return errors
    if department is not None:
        errors["department"] = [_("Only exchange staff belong to a department.")]
    if organisation is None:
        errors["organisation"] = [_("Member, partner and regulator users need an organisation.")]
        return errors
    expected = user_kind_for_organisation(organisation)
    if kind != expected:
        errors["kind"] = [
            _("A user of %(organisation)s (%(org_kind)s) must be a “%(expected)s”.")
            % {
                "organisation": organisation.name_zh,
                "org_kind": organisation.get_kind_display(),
                "expected": UserKind(expected).label,
            }
        ]
    if org_role not in OrgRole.values:
        errors["org_role"] = [_("Choose the user's role in the organisation: admin or contact.")]
    return errors


@transaction.atomic
def user_create(
    *,
    actor: Any,
    email: str,
    full_name: str,
    kind: str,
    organisation: Organisation | None = None,
    department: Department | None = None,
    org_role: str = "",
    phone: str = "",
    is_department_head: bool = False,
    preferred_language: str = "",
    send_invitation: bool = True,
) -> User:
    """Create an account that has no password yet and mail the user a link to set one.

    The coordinator creates any managed kind; an org admin creates member/partner/regulator users
    of their own organisation only. ``kind`` must match the organisation's kind. Raises
    ValidationError (field -> messages) for bad input and PermissionDenied for a wrong actor.
    """
    _require_manager(actor)
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    if kind != UserKind.STAFF:
        is_department_head = False
    errors = _validate_affiliation(
        actor=actor, kind=kind, organisation=organisation, department=department, org_role=org_role
    )
    if not email:
        errors.setdefault("email", []).append(_("Enter the user's e-mail address."))
    elif User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists():
        errors.setdefault("email", []).append(_("A user with this e-mail address already exists."))
    if not full_name:
        errors.setdefault("full_name", []).append(_("Enter the user's full name."))
    if preferred_language and preferred_language not in LANGUAGE_CODES:
        errors.setdefault("preferred_language", []).append(_("Choose one of the offered languages."))
    if errors:
        raise ValidationError(errors)
    user = User(
        email=email,
        full_name=full_name,
        phone=(phone or "").strip(),
        kind=kind,
        organisation=organisation if kind != UserKind.STAFF else None,
        department=department if kind == UserKind.STAFF else None,
        org_role=org_role if kind != UserKind.STAFF else "",
        is_department_head=is_department_head,
        preferred_language=preferred_language,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    audit_create(actor=actor, target=user)
    if send_invitation:
        _send_invitation(user=user, actor=actor)
    return user


# Fields a manager may change after creation, and who may change them.
ORG_ADMIN_EDITABLE = ("full_name", "phone", "org_role", "preferred_language")
COORDINATOR_EDITABLE = (*ORG_ADMIN_EDITABLE, "department", "is_department_head")


@transaction.atomic
def user_update(*, user: User, actor: Any, **changes: Any) -> User:
    """Change a managed user's name, phone, language, role in the organisation or (coordinator,
    staff only) department and head flag. Kind and organisation never change here."""
    _require_scope(actor=actor, user=user)
    allowed = COORDINATOR_EDITABLE if is_coordinator(actor) else ORG_ADMIN_EDITABLE
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError({name: [_("You cannot change this field.")] for name in unknown})
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(locked, list(changes))
    errors: dict[str, list[str]] = {}
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if "full_name" in changes and not locked.full_name:
        errors["full_name"] = [_("Enter the user's full name.")]
    if "org_role" in changes:
        if locked.organisation_id is None:
            if locked.org_role:
                errors["org_role"] = [_("Only users of an organisation have a role in it.")]
        elif locked.org_role not in OrgRole.values:
            errors["org_role"] = [_("Choose the user's role in the organisation: admin or contact.")]
        elif locked.pk == actor.pk and locked.org_role != OrgRole.ADMIN:
            errors["org_role"] = [_("You cannot remove your own admin role; ask another admin.")]
    if locked.kind == UserKind.STAFF:
        if "department" in changes and locked.department is None:
            errors["department"] = [_("Exchange staff need a department.")]
    elif changes.get("department") is not None or changes.get("is_department_head"):
        errors["department"] = [_("Only exchange staff belong to a department.")]
    if "preferred_language" in changes and locked.preferred_language not in ("", *LANGUAGE_CODES):
        errors["preferred_language"] = [_("Choose one of the offered languages.")]
    if errors:
        raise ValidationError(errors)
    locked.save(update_fields=list(changes) or None)
    audit_update(actor=actor, target=locked, before=before)
    return locked


@transaction.atomic
def profile_update(*, user: User, actor: Any, full_name: str, phone: str, preferred_language: str) -> User:
    """A user changes their own name, phone and language."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only change your own profile."))
    full_name = (full_name or "").strip()
    errors: dict[str, list[str]] = {}
    if not full_name:
        errors["full_name"] = [_("Enter your full name.")]
    if preferred_language not in ("", *LANGUAGE_CODES):
        errors["preferred_language"] = [_("Choose one of the offered languages.")]
    if errors:
        raise ValidationError(errors)
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(locked, ["full_name", "phone", "preferred_language"])
    locked.full_name = full_name
    locked.phone = (phone or "").strip()
    locked.preferred_language = preferred_language
    locked.save(update_fields=["full_name", "phone", "preferred_language"])
    audit_update(actor=actor, target=locked, before=before)
    return locked


def _delete_sessions_of(user: User) -> int:
    """Delete the database sessions that belong to ``user``.

    Django already refuses a session whose user is inactive on the very next request (the auth
    backend's ``user_can_authenticate``); deleting the rows also drops whatever else they held.
    Sessions don't index their user, so this reads the live ones: acceptable for a rare action.
    """
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return 0
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    doomed = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000)
        if str(store.decode(session.session_data).get(SESSION_KEY)) == str(user.pk)
    ]
    if settings.SESSION_ENGINE.endswith("cached_db"):
        from django.contrib.sessions.backends.cached_db import SessionStore as CachedStore

        for key in doomed:
            CachedStore(session_key=key).delete()
    return Session.objects.filter(session_key__in=doomed).delete()[0]


@transaction.atomic
def user_deactivate(*, user: User, actor: Any) -> User:
    """Switch an account off at once: it cannot log in, its sessions end and every API token it
    has is revoked. Reactivating does not bring the tokens back."""
    _require_scope(actor=actor, user=user)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active:
        raise ValidationError(_("This account is already deactivated."))
    now = timezone.now()
    revoked = PersonalAccessToken.objects.filter(user=locked, revoked_at__isnull=True).update(revoked_at=now)
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    sessions = _delete_sessions_of(locked)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=locked,
        changes={"is_active": [True, False]},
        message=f"deactivated; {revoked} token(s) revoked, {sessions} session(s) ended",
    )
    return locked


@transaction.atomic
def user_reactivate(*, user: User, actor: Any) -> User:
    _require_scope(actor=actor, user=user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active:
        raise ValidationError(_("This account is already active."))
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=locked,
        changes={"is_active": [False, True]},
        message="reactivated",
    )
    return locked


@transaction.atomic
def user_resend_invitation(*, user: User, actor: Any) -> None:
    """Mail a fresh 'set your password' link (e.g. the first one expired)."""
    _require_scope(actor=actor, user=user)
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."))
    _send_invitation(user=user, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, target=user, message="invitation sent again")


@transaction.atomic
def organisation_set_mfa_requirement(*, organisation: Organisation, required: bool, actor: Any) -> Organisation:
    """An org admin demands (or stops demanding) TOTP from every user of their organisation."""
    if not (is_org_admin(actor) and actor.organisation_id == organisation.pk):
        raise PermissionDenied(_("Only an admin of this organisation can change its security settings."))
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(locked, ["require_mfa"])
    locked.require_mfa = bool(required)
    locked.save(update_fields=["require_mfa", "updated_at"])
    audit_update(actor=actor, target=locked, before=before)
    return locked


TOKEN_MAX_ACTIVE = 20


@transaction.atomic
def token_create(
    *, user: User, name: str, expires_at: datetime.datetime | None = None, actor: Any
) -> tuple[PersonalAccessToken, str]:
    """Create a personal access token for ``user``. Returns (token, raw value); the raw value is
    never stored and cannot be shown again."""
    if not is_system_actor(actor) and getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(_("You can only create tokens for yourself."))
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name, e.g. the script that will use it.")]
    elif len(name) > 80:
        errors["name"] = [_("The name can be at most 80 characters.")]
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            expires_at = timezone.make_aware(expires_at)
        if expires_at <= timezone.now():
            errors["expires_at"] = [_("The expiry must be in the future.")]
    if not user.is_active:
        errors.setdefault("name", []).append(_("A deactivated account cannot have tokens."))
    locked_user = User.objects.select_for_update().get(pk=user.pk)
    if PersonalAccessToken.objects.usable().filter(user=locked_user).count() >= TOKEN_MAX_ACTIVE:
        errors.setdefault("name", []).append(
            _("You already have %(count)d active tokens; revoke one first.") % {"count": TOKEN_MAX_ACTIVE}
        )
    if errors:
        raise ValidationError(errors)
    raw, key_hash, prefix = PersonalAccessToken.generate()
    token = PersonalAccessToken.objects.create(
        user=locked_user, name=name, key_hash=key_hash, key_prefix=prefix, expires_at=expires_at
    )
    audit_record(
        actor=actor,
        action=AuditAction.TOKEN_CREATED,
        target=token,
        changes={"user": user.email, "name": name, "expires_at": expires_at},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken, actor: Any) -> PersonalAccessToken:
    """Revoke a token at once. Revoking an already revoked token changes nothing."""
    if not is_system_actor(actor) and getattr(actor, "pk", None) != token.user_id:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    locked = PersonalAccessToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action=AuditAction.TOKEN_REVOKED, target=locked, changes={"name": locked.name})
    return locked
