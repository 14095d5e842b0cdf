"""Excel exports of the follow-up statistics, through ``huifu.core.spreadsheets``.

* ``statistics_workbook``: a series' figures per session and together, the audience mix, and the
  participants (confirmed registrations) of the sessions the user follows;
* ``participation_workbook``: a member company's own people only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huifu.core import spreadsheets

from .models import Registration
from .services.surveys import QUESTIONS
from .statistics import SeriesFigures, audience_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _yes(value: bool) -> str:
    return _("yes") if value else ""


def _number(value: Any) -> Any:
    return "" if value is None else value


def statistics_workbook(result: SeriesFigures, participants: Iterable[Registration]) -> bytes:
    book = spreadsheets.workbook()
    sheet = book.active
    sheet.title = pgettext("event", "Sessions")
    question_labels = [str(q.short) for q in QUESTIONS]
    spreadsheets.append(sheet, [result.series.title_zh])
    spreadsheets.append(
        sheet,
        [
            _("Date"),
            pgettext("event", "Session"),
            _("Registered"),
            _("Attended on site"),
            _("Attended online"),
            _("Attended"),
            _("No-shows"),
            _("Survey answers"),
            *question_labels,
        ],
    )

    def row(date: str, title: str, f: Any) -> list[Any]:
        return [
            date,
            title,
            f.registered,
            f.on_site,
            f.online,
            f.attended,
            _number(f.no_shows),
            f.answers,
            *[_number(f.averages[q.key]) for q in QUESTIONS],
        ]

    for item in result.sessions:
        spreadsheets.append(sheet, row(f"{item.session.date:%Y-%m-%d}", item.session.title, item.figures))
    spreadsheets.append(sheet, row("", _("All sessions"), result.totals))
    spreadsheets.append(sheet, [])
    spreadsheets.append(sheet, [_("Unique people who attended"), result.unique_people])
    spreadsheets.append(sheet, [_("People who attended two sessions or more"), result.repeat_people])

    mix = book.create_sheet(_("Audience mix"))
    spreadsheets.append(mix, [_("Registers as"), _("Registered")])
    for label, n in result.totals.audience_rows():
        spreadsheets.append(mix, [label, n])
    spreadsheets.append(mix, [])
    spreadsheets.append(mix, [_("Kind of participant"), _("Registered")])
    for label, n in result.totals.participant_kind_rows():
        spreadsheets.append(mix, [label, n])

    people = book.create_sheet(_("Participants"))
    spreadsheets.append(
        people,
        [
            _("Date"),
            pgettext("event", "Session"),
            _("Participant"),
            _("Organisation"),
            _("Registers as"),
            _("Attended on site"),
            _("Attended online"),
            _("Survey answered"),
        ],
    )
    for r in participants:
        spreadsheets.append(
            people,
            [
                f"{r.session.date:%Y-%m-%d}",
                r.session.title,
                r.person.full_name or r.person.email,
                r.organisation.name_zh if r.organisation else "",
                audience_label(r.audience) if r.audience else "",
                _yes(r.on_site),
                _yes(r.online),
                _yes(hasattr(r, "survey_response")),
            ],
        )
    return spreadsheets.to_bytes(book)


def participation_workbook(registrations: Iterable[Registration]) -> bytes:
    book = spreadsheets.workbook()
    sheet = book.active
    sheet.title = pgettext("investor education", "Participation")
    spreadsheets.append(
        sheet,
        [
            _("Series"),
            _("Date"),
            pgettext("event", "Session"),
            _("Participant"),
            _("Attended on site"),
            _("Attended online"),
            _("No-show"),
        ],
    )
    now = timezone.now()
    for r in registrations:
        ended = r.session.ends_at <= now
        spreadsheets.append(
            sheet,
            [
                r.session.series.title_zh,
                f"{r.session.date:%Y-%m-%d}",
                r.session.title,
                r.person.full_name or r.person.email,
                _yes(r.on_site),
                _yes(r.online),
                _yes(ended and not (r.on_site or r.online)),
            ],
        )
    return spreadsheets.to_bytes(book)
