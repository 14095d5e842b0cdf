"""In-app lines for events whose e-mails are written in Chinese only (visits, events, notices).

They are msgids (English) so that the notification reads in the reader's language; the mails
stay as they are. An app whose mail subject is already a msgid passes that msgid instead.
"""

from django.utils.translation import gettext_noop

VISIT_ARRANGED = gettext_noop("Visit arranged: %(company)s, %(when)s")
VISIT_CANCELLED = gettext_noop("Visit cancelled: %(company)s")
EVENT_REMINDER = gettext_noop("Event reminder: %(title)s on %(date)s")
EVENT_PREPARATION = gettext_noop("Preparation still open: %(title)s on %(date)s")
MATERIAL_APPROVED = gettext_noop("Material approved and published: %(title)s")
MATERIAL_RETURNED = gettext_noop("Material returned for changes: %(title)s")
NOTICE_PUBLISHED = gettext_noop("New notice: %(title)s")
REGISTRATION_CONFIRMED = gettext_noop("Registration confirmed: %(title)s on %(date)s")
WAITING_LIST_OFFER = gettext_noop("A seat is free for you: %(title)s; confirm by %(deadline)s")
SPEAKER_INVITED = gettext_noop("Invitation to speak: %(title)s on %(date)s; please reply by %(deadline)s")
SPEAKER_REPLY_REMINDER = gettext_noop("Please reply to the invitation to speak by %(deadline)s: %(title)s")
SPEAKER_WITHDRAWN = gettext_noop("Invitation to speak withdrawn: %(title)s on %(date)s")
SPEAKER_ACCEPTED = gettext_noop("%(speaker)s accepted the invitation to speak: %(title)s")
SPEAKER_DECLINED = gettext_noop("%(speaker)s declined the invitation to speak: %(title)s")
SPEAKER_EXPIRED = gettext_noop("%(speaker)s did not reply in time to the invitation to speak: %(title)s")
SURVEY_INVITATION = gettext_noop("Please rate the session: %(title)s on %(date)s (open until %(closes)s)")
