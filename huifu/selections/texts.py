"""The plan notice's text: the manager's body followed by the windows and categories as data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .services.common import local


def plan_text(selection: Any, body: str) -> str:
    lines = [(body or "").strip(), "", _("Phases:")]
    for phase in selection.phases.order_by("opens_at"):
        lines.append(f"· {phase.get_kind_display()}：{local(phase.opens_at)} – {local(phase.closes_at)}")
    lines += ["", _("Categories:")]
    for category in selection.categories.all():
        lines.append(
            "· "
            + _(
                "%(name)s (%(kind)s; fewer than %(threshold)s applicants: at most %(percent)s %%, rounded %(rounding)s; otherwise at most %(max)s)"
            )
            % {
                "name": category.name_zh,
                "kind": category.get_applicant_kind_display(),
                "threshold": category.quota_threshold,
                "percent": f"{category.quota_percent.normalize():f}",
                "rounding": category.get_quota_rounding_display(),
                "max": category.quota_max,
            }
        )
    return "\n".join(lines).strip()
