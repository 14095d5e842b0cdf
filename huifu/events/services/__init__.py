"""Event writes: the named operations (sessions and series in ``sessions``, registrations in
``registrations``). Import them from here: ``from huifu.events import services``."""

from .checkins import CheckInError, CheckInResult, checkin_record
from .registrations import (
    EVENT_ICS_PURPOSE,
    RegistrationError,
    registration_approve,
    registration_cancel,
    registration_create,
    registration_offer_accept,
    registration_offers_expire,
    registration_refuse,
)
from .sessions import (
    SessionStateError,
    series_create,
    series_update,
    session_cancel,
    session_create,
    session_publish,
    session_update,
    session_withdraw,
)
from .speaker_invitations import (
    InvitationError,
    speaker_invitation_answer,
    speaker_invitation_answer_by_link,
    speaker_invitation_withdraw,
    speaker_invitations_remind,
    speaker_invite,
)
from .speakers import speaker_create, speaker_update

__all__ = [
    "CheckInError",
    "CheckInResult",
    "checkin_record",
    "EVENT_ICS_PURPOSE",
    "RegistrationError",
    "SessionStateError",
    "registration_approve",
    "registration_cancel",
    "registration_create",
    "registration_offer_accept",
    "registration_offers_expire",
    "registration_refuse",
    "series_create",
    "series_update",
    "session_cancel",
    "session_create",
    "session_publish",
    "session_update",
    "session_withdraw",
    "speaker_create",
    "InvitationError",
    "speaker_invitation_answer",
    "speaker_invitation_answer_by_link",
    "speaker_invitation_withdraw",
    "speaker_invitations_remind",
    "speaker_invite",
    "speaker_update",
]
