"""The one Chinese rendering of UI words that many apps share.

Django merges every app's catalogue and the project catalogue (huifu/locale, LOCALE_PATHS) wins,
then the app listed first in INSTALLED_APPS, then third-party apps (admin, allauth, DRF). Without
this list an app's own translation of "Filter", "Note", "Remove"... is silently replaced by
another app's or by Django admin's. Marking the words here puts them in the project catalogue
(`make messages` keeps them there), so they read the same on every page; app catalogues must agree
(huifu/core/tests/test_translation_clashes.py).

A word whose meaning differs by app does NOT belong here: give it a context instead, e.g.
pgettext_lazy("enterprise", "key") or {% translate "Close" context "project" %}.
"""

from django.utils.translation import gettext_noop

SHARED_WORDS = (
    # Lists, filters and buttons
    gettext_noop("Filter"),
    gettext_noop("Search"),
    gettext_noop("Show"),
    gettext_noop("Save"),
    gettext_noop("Add"),
    gettext_noop("Remove"),
    gettext_noop("Close"),
    gettext_noop("Reset my password"),
    # Common fields and column headings
    gettext_noop("Note"),
    gettext_noop("note"),
    gettext_noop("Status"),
    gettext_noop("Name"),
    gettext_noop("name"),
    gettext_noop("Kind"),
    gettext_noop("kind"),
    gettext_noop("year"),
    gettext_noop("order"),
    gettext_noop("active"),
    gettext_noop("Action"),
    gettext_noop("History"),
    gettext_noop("Timeline"),
    gettext_noop("Summary"),
    gettext_noop("summary"),
    gettext_noop("Text"),
    gettext_noop("text"),
    gettext_noop("Item"),
    gettext_noop("Plan"),
    gettext_noop("plan"),
    gettext_noop("Topic"),
    gettext_noop("topic"),
    gettext_noop("Channel"),
    gettext_noop("Phone"),
    gettext_noop("E-mail"),
    gettext_noop("Member"),
    gettext_noop("member"),
    gettext_noop("Organisation"),
    gettext_noop("organisation"),
    gettext_noop("Organisations"),
    gettext_noop("organisations"),
    gettext_noop("Audience"),
    gettext_noop("audience"),
    # Publishing: the status is 已…, the date field (lower case verbose_name) is …时间
    gettext_noop("Publish"),
    gettext_noop("Published"),
    gettext_noop("published"),
    gettext_noop("sent"),
    gettext_noop("Withdraw"),
    gettext_noop("Withdrawn"),
    gettext_noop("withdrawn"),
    gettext_noop("Reason for withdrawal"),
    # Work-item states and the approval workflow (activities, deepening, service desk, tracking)
    gettext_noop("Open"),
    gettext_noop("In progress"),
    gettext_noop("Done"),
    gettext_noop("Closed"),
    gettext_noop("Submitted"),
    gettext_noop("Review"),
    gettext_noop("Approve"),
    gettext_noop("Approved"),
    gettext_noop("Reject"),
    gettext_noop("Rejected"),
    gettext_noop("Reason for rejection"),
    gettext_noop("Return"),
    gettext_noop("Decision"),
)
