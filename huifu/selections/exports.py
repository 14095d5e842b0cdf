"""Excel exports, each read through the same selectors as its page: the managers' results of a
category (raw and normalised, computed inputs, method), a judge's own list (anonymous codes in a
blind category, never an application the judge is recused from), a company's own applications
(scores only once published)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huifu.core.spreadsheets import append, to_bytes, workbook

from . import selectors
from .models import RunState, Score
from .services.results import display_name


def results_xlsx(*, category: Any) -> bytes:
    book = workbook()
    sheet = book.active
    sheet.title = pgettext("selection", "Results")
    run = category.runs.exclude(state=RunState.SUPERSEDED).order_by("-version").first()
    append(sheet, [category.name_zh, _("version"), run.version if run else "—", run.get_state_display() if run else ""])
    if run:
        append(sheet, [_("Quota"), run.quota, run.method.get("quota", ""), run.method.get("tie_rule", "")])
    append(
        sheet,
        [
            _("Rank"),
            _("Reference"),
            _("Applicant"),
            _("Member company"),
            _("Judges' score (raw)"),
            _("Judges' score (normalised)"),
            _("Talks in the monthly series"),
            _("Reports published"),
            _("Total"),
            _("Winner"),
            _("Note"),
        ],
    )
    if run:
        for row in run.rows.select_related(
            "application__organisation", "application__category__selection"
        ).prefetch_related("application__members"):
            metrics = row.objective.get("metrics", {})
            append(
                sheet,
                [
                    row.rank,
                    row.application.reference,
                    display_name(row.application),
                    row.application.organisation.name_zh,
                    row.judges_raw,
                    row.judges_normalised if row.judges_normalised is not None else "—",
                    metrics.get("analyst_talks", {}).get("value", "—"),
                    metrics.get("analyst_reports", {}).get("value", "—"),
                    row.total,
                    _("yes") if row.winner else _("no"),
                    row.note,
                ],
            )
    return to_bytes(book)


def judging_xlsx(*, user: Any) -> bytes:
    book = workbook()
    sheet = book.active
    sheet.title = _("My judging")
    applications = list(selectors.judging_list(user=user).prefetch_related("members").select_related("organisation"))
    mine: dict[int, dict[str, Any]] = {}
    for s in Score.objects.filter(judge__user_id=user.pk, application__in=applications):
        mine.setdefault(s.application_id, {})[s.indicator] = s.value
    append(
        sheet,
        [pgettext("selection", "Category"), pgettext("selection", "Application"), _("Member company"), _("My scores")],
    )
    for application in applications:
        hidden = application.category.blind
        scores = "；".join(f"{k} {v}" for k, v in sorted(mine.get(application.pk, {}).items())) or "—"
        append(
            sheet,
            [
                application.category.name_zh,
                application.blind_code if hidden else f"{application.reference} {display_name(application)}",
                "—" if hidden else application.organisation.name_zh,
                scores,
            ],
        )
    return to_bytes(book)


def company_xlsx(*, user: Any) -> bytes:
    book = workbook()
    sheet = book.active
    sheet.title = _("Applications")
    append(
        sheet,
        [
            _("Reference"),
            pgettext("selection", "Category"),
            _("Applicant"),
            _("State"),
            _("Total"),
            _("Rank"),
            _("Winner"),
        ],
    )
    applications = (
        selectors.application_list(user=user).filter(organisation_id=user.organisation_id).prefetch_related("members")
    )
    for application in applications:
        row = selectors.published_row(application=application)
        append(
            sheet,
            [
                application.reference,
                application.category.name_zh,
                display_name(application),
                application.get_state_display(),
                row.total if row else "—",
                row.rank if row else "—",
                (_("yes") if row.winner else _("no")) if row else "—",
            ],
        )
    return to_bytes(book)
