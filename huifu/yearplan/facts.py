"""The programme facts the yearly arrangements document cites, read from the records.

Staff-edited texts write ``{name}`` where the document states a fact Huifu holds (the hotline,
the reply period, the number of products covered…); :func:`resolve` looks each one up for the
plan's year and "as of" date. Unknown names are refused with the list of known ones. The values
of a year are frozen with its document (``services.year_freeze``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .identity import exchange_as_of

CN_DIGITS = "零一二三四五六七八九十"


class UnknownFact(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class MissingFact(LookupError):
    """A known fact that the records do not hold for this year (say which record to enter)."""


@dataclass(frozen=True)
class Fact:
    name: str
    label: Any
    read: Callable[[Any], str]


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _period(rule: str, amount: int) -> str:
    if rule == "working_days":
        return f"{amount}个工作日"
    if amount % 7 == 0:
        return f"{amount // 7}周"
    return f"{amount}日"


def _exchange_name(plan: Any) -> str:
    return exchange_as_of(plan.as_of).name_zh


def _exchange_short(plan: Any) -> str:
    ex = exchange_as_of(plan.as_of)
    return ex.short_name_zh or ex.name_zh


def _subsidiary(plan: Any) -> str:
    name = exchange_as_of(plan.as_of).subsidiary_name_zh
    if not name:
        raise MissingFact(_("The exchange has no subsidiary recorded in its identity."))
    return name


def _mailbox(plan: Any) -> str:
    mailbox = exchange_as_of(plan.as_of).mailbox
    if not mailbox:
        raise MissingFact(_("The Market Service Center mailbox is not recorded in the exchange's identity."))
    return mailbox


def _hotline(plan: Any) -> str:
    number = exchange_as_of(plan.as_of).hotline
    if not number:
        raise MissingFact(
            _("No hotline number was in force on the plan's date; record it on the hotline settings page.")
        )
    return number


def _hotline_announced(plan: Any) -> str:
    ex = exchange_as_of(plan.as_of)
    if ex.hotline_next and ex.hotline_next_from:
        return f"{ex.hotline_next}（自{cn_date(ex.hotline_next_from)}起）"
    if plan.hotline_announced:
        return plan.hotline_announced
    raise MissingFact(_("No later hotline number is recorded and the plan names no announced number."))


def _feedback_reply_period(plan: Any) -> str:  # noqa: ARG001
    from huifu.servicedesk.services.common import deadline_rule

    rule, amount = deadline_rule()
    return _period(rule, amount)


def _visit_arrange_days(plan: Any) -> str:  # noqa: ARG001
    from huifu.visits.services import ARRANGE_WITHIN_WORKING_DAYS

    return _period("working_days", ARRANGE_WITHIN_WORKING_DAYS)


def _incentive_projects(plan: Any) -> Any:
    from huifu.incentives.models import Project

    projects = Project.objects.filter(year=plan.year).exclude(kind="research").exclude(status="draft")
    if not projects.exists():
        raise MissingFact(_("No incentive project of this year is open or closed yet."))
    return projects


def _incentive_products(plan: Any) -> str:
    from huifu.products.models import Product, ProductKind

    projects = _incentive_projects(plan)
    covered = Product.objects.filter(incentive_projects__in=projects).distinct()
    futures = covered.filter(kind=ProductKind.FUTURES).count()
    options = covered.filter(kind=ProductKind.OPTION).count()
    all_options = Product.objects.filter(kind=ProductKind.OPTION, is_active=True).count()
    options_text = f"全部{options}个期权品种" if options and options == all_options else f"{options}个期权品种"
    return f"{futures}个期货品种和{options_text}"


def _incentive_notice(plan: Any) -> str:
    projects = _incentive_projects(plan).select_related("notice").order_by("notice_date", "code")
    project = next((p for p in projects if p.notice_doc_number and p.notice_date), None)
    if project is None:
        raise MissingFact(_("No incentive project of this year names its governing notice (number and date)."))
    title = project.notice.title if project.notice_id else ""
    titled = f"《{title}》" if title else "通知"
    return f"{cn_date(project.notice_date)}发布的{titled}（{project.notice_doc_number}）"


def _pilots(plan: Any) -> str:
    from huifu.incentives.models import PilotProgramme

    pilots = (
        PilotProgramme.objects.filter(projects__in=_incentive_projects(plan)).distinct().order_by("sort_order", "id")
    )
    names = [p.name_zh for p in pilots]
    if not names:
        raise MissingFact(_("No incentive project of this year absorbs a pilot programme."))
    return "、".join(f"“{n}”" for n in names)


def _year(plan: Any) -> str:
    return str(plan.year)


FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        Fact("year", _("the plan's year"), _year),
        Fact("exchange_name", _("the exchange's name"), _exchange_name),
        Fact("exchange_short", _("the exchange's short name"), _exchange_short),
        Fact("subsidiary_name", _("the subsidiary's name"), _subsidiary),
        Fact("msc_mailbox", _("the Market Service Center mailbox"), _mailbox),
        Fact("hotline", _("the hotline number in force on the plan's date"), _hotline),
        Fact("hotline_announced", _("the announced next hotline number"), _hotline_announced),
        Fact("feedback_reply_period", _("the reply period of Member Voice feedback"), _feedback_reply_period),
        Fact("visit_arrange_days", _("the deadline to arrange a visit"), _visit_arrange_days),
        Fact("incentive_products", _("the products the year's incentive projects cover"), _incentive_products),
        Fact("incentive_notice", _("the notice governing the year's incentive projects"), _incentive_notice),
        Fact("pilots", _("the pilot programmes the incentive brand absorbs"), _pilots),
    )
}


def register(fact: Fact) -> None:
    """Add a fact (used for the awards' schedules when that app provides them)."""
    FACTS[fact.name] = fact


class Resolver:
    """Looks facts up once per document (a generation reads each record once)."""

    def __init__(self, plan: Any) -> None:
        self.plan = plan
        self.values: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self.values:
            fact = FACTS.get(name)
            if fact is None:
                raise UnknownFact(name)
            self.values[name] = fact.read(self.plan)
        return self.values[name]
