"""The report of what was read from a Word form or an e-mail, as rows for a page.

``FeedbackForm.intake_report`` (written by ``huifu.intake``) holds, per field, the status
(read / missing / ambiguous), the text the reader saw and the value kept, plus values suggested
from the directory or the e-mail's sender for fields the document did not give. Staff see the
suggestions with an "accept" button; nothing is copied into the form until they accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import pgettext_lazy

FIELD_LABELS = {
    "serial": pgettext_lazy("intake report", "No. on the form (编号)"),
    "form_date": pgettext_lazy("intake report", "Form date"),
    "company": pgettext_lazy("intake report", "Company"),
    "contact": pgettext_lazy("intake report", "Contact person"),
    "phone": pgettext_lazy("intake report", "Phone"),
    "email": pgettext_lazy("intake report", "E-mail"),
    "suggestions": pgettext_lazy("intake report", "Suggestions"),
    "help_requests": pgettext_lazy("intake report", "Help requests"),
}
STATUS_LABELS = {
    "read": pgettext_lazy("intake report", "read"),
    "missing": pgettext_lazy("intake report", "not found in the document"),
    "ambiguous": pgettext_lazy("intake report", "ambiguous"),
}
SOURCE_LABELS = {
    "directory": pgettext_lazy("intake report", "from the directory"),
    "sender": pgettext_lazy("intake report", "the e-mail's sender"),
}


@dataclass
class ReportRow:
    field: str
    label: str
    status: str
    status_label: str
    seen: str
    value: str
    suggestion: str = ""
    suggestion_source: str = ""
    accepted: bool = False


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(f"{n}. {item}" for n, item in enumerate(value, start=1))
    return str(value or "")


def report_rows(report: dict[str, Any] | None) -> list[ReportRow]:
    """The report's fields in the form's order, each with its suggestion (if any)."""
    report = report or {}
    suggested = report.get("suggested") or {}
    accepted = report.get("accepted") or {}
    rows = []
    for entry in report.get("fields") or []:
        name = str(entry.get("field", ""))
        status = str(entry.get("status", ""))
        offer = suggested.get(name) or {}
        rows.append(
            ReportRow(
                field=name,
                label=str(FIELD_LABELS.get(name, name)),
                status=status,
                status_label=str(STATUS_LABELS.get(status, status)),
                seen=str(entry.get("seen") or ""),
                value=_text(entry.get("value")),
                suggestion=str(offer.get("value") or "") if isinstance(offer, dict) else str(offer),
                suggestion_source=str(SOURCE_LABELS.get(offer.get("source", ""), ""))
                if isinstance(offer, dict)
                else "",
                accepted=name in accepted,
            )
        )
    return rows
