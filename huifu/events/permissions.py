"""Who may do what with investor-education events.

* Series, speakers and sessions are planned by the coordinator (Member Management) and the
  Market Service Center (``events.manage_series``, ``events.add_session``, ``events.publish_session``).
* Every staff member reads every session (``events.view_session_list`` and detail).
* A co-organiser's users (university, training institution, association, member; not regulators)
  see and edit only the sessions their organisation co-organises (``events.view_session``,
  ``events.change_session``); they neither create nor publish sessions.
* Anyone, logged in or not, reads published sessions on the public pages (``selectors.public_*``).
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import (
    is_coordinator,
    is_logged_in,
    is_member_user,
    is_org_user,
    is_regulator,
    is_staff_user,
)
from huifu.directory.models import DepartmentKind


@rules.predicate
def is_msc_user(user) -> bool:  # noqa: ANN001
    return bool(
        is_staff_user(user)
        and user.department is not None
        and user.department.kind == DepartmentKind.MARKET_SERVICE_CENTER
    )


@rules.predicate
def co_organises(user, session) -> bool:  # noqa: ANN001
    """The user's organisation co-organises this session."""
    if session is None or user.organisation_id is None:
        return False
    return session.co_organisers.filter(pk=user.organisation_id).exists()


@rules.predicate
def is_co_organiser_user(user) -> bool:  # noqa: ANN001
    """An organisation user whose organisation co-organises at least one session."""
    from .models import Session

    if not is_org_user(user) or is_regulator(user):
        return False
    # Asked by the menu and by the page on every request: answered once per request (the user
    # object lives as long as the request).
    if not hasattr(user, "_events_co_organiser"):
        user._events_co_organiser = Session.objects.filter(co_organisers=user.organisation_id).exists()
    return user._events_co_organiser


is_event_manager = is_coordinator | is_msc_user
is_partner_side = is_org_user & ~is_regulator

rules.add_perm("events.manage_series", is_event_manager)
rules.add_perm("events.add_session", is_event_manager)
rules.add_perm("events.publish_session", is_event_manager)
rules.add_perm("events.view_session_list", is_staff_user | is_co_organiser_user)
rules.add_perm("events.view_session", is_staff_user | (is_partner_side & co_organises))
rules.add_perm("events.change_session", is_event_manager | (is_partner_side & co_organises))
rules.add_perm("events.view_plan", is_staff_user)


# --- registrations -------------------------------------------------------------------------------


@rules.predicate
def registration_is_mine(user, registration) -> bool:  # noqa: ANN001
    """The user is the registered person or registered them."""
    return registration is not None and user.pk in (registration.person_id, registration.registered_by_id)


@rules.predicate
def co_organises_registration_session(user, registration) -> bool:  # noqa: ANN001
    return registration is not None and co_organises(user, registration.session)


# Anyone logged in registers themselves (regulators observe, they do not sign up).
rules.add_perm("events.register", is_logged_in & ~is_regulator)
# A member company's users register colleagues of the same company.
rules.add_perm("events.register_colleague", is_member_user)
rules.add_perm("events.moderate_registration", is_event_manager | (is_partner_side & co_organises))
rules.add_perm("events.view_registrations", is_staff_user | (is_partner_side & co_organises))
rules.add_perm(
    "events.cancel_registration",
    registration_is_mine | is_event_manager | (is_partner_side & co_organises_registration_session),
)

# The check-in desk: staff, and the session's co-organiser at its own sessions.
rules.add_perm("events.check_in", is_staff_user | (is_partner_side & co_organises))


# --- speakers ------------------------------------------------------------------------------------


@rules.predicate
def is_invited_speaker(user, invitation) -> bool:  # noqa: ANN001
    """The user's account is the invited speaker's."""
    return invitation is not None and invitation.speaker.user_id is not None and invitation.speaker.user_id == user.pk


@rules.predicate
def co_organises_invitation_session(user, invitation) -> bool:  # noqa: ANN001
    return invitation is not None and co_organises(user, invitation.session)


# The pool (profiles, kinds, links to companies and accounts) is kept by the event managers;
# every staff member reads it.
rules.add_perm("events.view_speakers", is_staff_user)
rules.add_perm("events.manage_speakers", is_event_manager)
# Inviting a speaker to a session: the managers, and the session's co-organiser for its sessions.
rules.add_perm("events.invite_speaker", is_event_manager | (is_partner_side & co_organises))
rules.add_perm("events.view_speaker_invitations", is_staff_user | (is_partner_side & co_organises))
rules.add_perm(
    "events.withdraw_speaker_invitation", is_event_manager | (is_partner_side & co_organises_invitation_session)
)
# Only the invited speaker answers (logged in; the signed link in the e-mail stands for them).
rules.add_perm("events.answer_speaker_invitation", is_invited_speaker)


@rules.predicate
def has_speaker_profile(user) -> bool:  # noqa: ANN001
    from .models import Speaker

    if not user.is_authenticated:
        return False
    if not hasattr(user, "_events_speaker"):  # once per request, like is_co_organiser_user
        user._events_speaker = Speaker.objects.filter(user=user).exists()
    return user._events_speaker


# The menu entry "Speaking invitations": speakers with an account, and member companies' users
# (their analysts' invitations). The page itself answers every logged-in user (an empty list).
rules.add_perm("events.view_my_speaker_invitations", is_logged_in & (is_member_user | has_speaker_profile))


# --- attendance ----------------------------------------------------------------------------------

# Online attendance: staff, and the session's co-organiser for its own sessions, import the
# platform's participant list and read the result; the rule (share of the session) is data the
# event managers set per series or session.
rules.add_perm("events.import_attendance", is_staff_user | (is_partner_side & co_organises))
rules.add_perm("events.view_attendance", is_staff_user | (is_partner_side & co_organises))
rules.add_perm("events.set_attendance_rule", is_event_manager)


# --- followup (survey, statistics, reminders) ----------------------------------------------------


@rules.predicate
def is_registered_person(user, registration) -> bool:  # noqa: ANN001
    return registration is not None and registration.person_id == user.pk


# Only the registered person answers (attendance and the survey window are checked by the service).
rules.add_perm("events.answer_survey", is_registered_person)
# Statistics: staff for every session, a co-organiser for its sessions (scoped by session_list).
rules.add_perm("events.view_statistics", is_staff_user | is_co_organiser_user)
# A member company's users see their own staff's participation, never another company's.
rules.add_perm("events.view_participation", is_member_user)
# Reminder and survey periods of a series.
rules.add_perm("events.manage_followup", is_event_manager)


# --- materials -----------------------------------------------------------------------------------


@rules.predicate
def co_organises_material_session(user, material) -> bool:  # noqa: ANN001
    return material is not None and co_organises(user, material.session)


@rules.predicate
def uploaded_material(user, material) -> bool:  # noqa: ANN001
    return material is not None and material.uploaded_by_id == user.pk


# Staff and the session's co-organisers upload slides, recordings and handouts (obj: the session).
rules.add_perm("events.upload_material", is_staff_user | (is_partner_side & co_organises))
# ... and change, submit or withdraw them (obj: the material).
rules.add_perm("events.change_material", is_staff_user | (is_partner_side & co_organises_material_session))
# The compliance review: the event managers (coordinator, Market Service Center), never on a
# material they uploaded themselves (the database refuses it too).
rules.add_perm("events.review_material", is_event_manager & ~uploaded_material)
rules.add_perm("events.view_material_queue", is_event_manager)
