"""Service-desk writes: the named operations (see each module's docstring).

Every function is keyword-only, takes ``actor`` (None = the system), checks the actor's right,
runs in one transaction and records an audit entry; mails go through the outbox.
"""

from .common import FeedbackStateError, deadline_rule
from .forms import (
    feedback_accept_suggestion,
    feedback_confirm_draft,
    feedback_create_draft,
    feedback_submit,
    feedback_submit_with_outcome,
    feedback_update_draft,
)
from .items import (
    answer_draft,
    feedback_member_answer,
    feedback_pause,
    item_assign,
    item_link,
    item_set_topics,
    item_unlink,
    topic_create,
)
from .reads import reply_mark_read
from .replies import (
    collective_publish,
    default_reply_text,
    feedback_close,
    letter_number_allocate,
    letter_prefix,
    letter_setting,
    reply_actions,
    reply_approve_send,
    reply_compose,
    reply_letter_preview,
    reply_record_minutes,
    reply_return,
    satisfaction_record,
)

__all__ = [
    "reply_mark_read",
    "FeedbackStateError",
    "answer_draft",
    "collective_publish",
    "deadline_rule",
    "feedback_accept_suggestion",
    "default_reply_text",
    "feedback_close",
    "feedback_confirm_draft",
    "feedback_create_draft",
    "feedback_member_answer",
    "feedback_pause",
    "feedback_submit",
    "feedback_submit_with_outcome",
    "feedback_update_draft",
    "item_assign",
    "item_link",
    "item_set_topics",
    "item_unlink",
    "letter_number_allocate",
    "letter_prefix",
    "letter_setting",
    "reply_actions",
    "reply_approve_send",
    "reply_compose",
    "reply_letter_preview",
    "reply_record_minutes",
    "reply_return",
    "satisfaction_record",
    "topic_create",
]
