"""The investor-education base dashboard: the figures the regulator's yearly rating of
investor-education bases looks at, per month of one year, each with its written definition.

Sources: ``BaseMonthlyFigure`` (visitors and visits of the physical and online base, surveys
entered by staff), ``huifu.events`` (attendance of investor-education sessions, their satisfaction
survey), ``Work`` (items published, education products) and ``ReachFigure``. A fixed number of
queries whatever the year holds. Only staff open it (``eduworks.view_dashboard``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.events.models import Registration, SurveyResponse
from huifu.events.services.surveys import attended_q

from .models import BaseKind, BaseMonthlyFigure, ReachFigure, Work, WorkKind, WorkState

SATISFIED_FROM = 4  # an events survey answer of 4 or 5 (of 5) on "overall" counts as satisfied

DEFINITIONS = {
    "visitors": _(
        "Visitors: people who came to the physical base or used the online base in the month, each "
        "counted once per base and month, as entered by staff from the base's register and the "
        "website's statistics."
    ),
    "visits": _("Visits: every visit in the month (a person who came three times counts three), as entered by staff."),
    "attendance": _(
        "Event attendance: confirmed registrations of investor-education sessions (Huifu's events) "
        "held in the month whose person checked in on site or attended online by the session's rule."
    ),
    "published": _(
        "Items published: educational works whose publication date falls in the month, including works withdrawn since."
    ),
    "products": _(
        "Education products: educational works in publication at the “as of” time, by kind; "
        "withdrawn works are not counted."
    ),
    "reach": _(
        "Reach: views and plays entered per work, channel and month for published works (likes, "
        "shares and participants are shown on each work)."
    ),
    "satisfaction": _(
        "Satisfaction: satisfied answers divided by answers, in per cent. Answers are the events' "
        "survey answers of sessions held in the month (satisfied: 4 or 5 of 5 on the overall "
        "question) plus the people surveyed at the base as entered by staff; empty when nobody "
        "answered."
    ),
}


@dataclass
class Month:
    month: datetime.date
    physical_visitors: int = 0
    physical_visits: int = 0
    online_visitors: int = 0
    online_visits: int = 0
    attendance: int = 0
    published: int = 0
    views: int = 0
    plays: int = 0
    survey_answers: int = 0
    survey_satisfied: int = 0
    base_surveyed: int = 0
    base_satisfied: int = 0

    @property
    def visitors(self) -> int:
        return self.physical_visitors + self.online_visitors

    @property
    def visits(self) -> int:
        return self.physical_visits + self.online_visits

    @property
    def answers(self) -> int:
        return self.survey_answers + self.base_surveyed

    @property
    def satisfied(self) -> int:
        return self.survey_satisfied + self.base_satisfied

    @property
    def satisfaction(self) -> Decimal | None:
        if not self.answers:
            return None
        return (Decimal(100) * self.satisfied / self.answers).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Dashboard:
    year: int
    as_of: datetime.datetime
    months: list[Month]
    products_by_kind: list[tuple[str, int]] = field(default_factory=list)

    @property
    def products_total(self) -> int:
        return sum(n for _, n in self.products_by_kind)

    def total(self, name: str) -> int:
        return sum(getattr(m, name) for m in self.months)

    @property
    def totals(self) -> dict[str, int]:
        names = (
            "physical_visitors",
            "physical_visits",
            "online_visitors",
            "online_visits",
            "visitors",
            "visits",
            "attendance",
            "published",
            "views",
            "plays",
            "answers",
            "satisfied",
        )
        return {name: self.total(name) for name in names}

    @property
    def satisfaction(self) -> Decimal | None:
        answers = self.total("answers")
        if not answers:
            return None
        return (Decimal(100) * self.total("satisfied") / answers).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _by_month(rows: list[dict], key: str = "m") -> dict[int, dict]:
    return {row[key]: row for row in rows}


def base_dashboard(*, year: int, now: datetime.datetime | None = None) -> Dashboard:
    """The figures of ``year``, month by month, and the education products as of ``now``."""
    now = now or timezone.now()
    months = [Month(datetime.date(year, m, 1)) for m in range(1, 13)]
    for figure in BaseMonthlyFigure.objects.filter(month__year=year):
        row = months[figure.month.month - 1]
        prefix = "physical" if figure.base == BaseKind.PHYSICAL else "online"
        setattr(row, f"{prefix}_visitors", getattr(row, f"{prefix}_visitors") + figure.visitors)
        setattr(row, f"{prefix}_visits", getattr(row, f"{prefix}_visits") + figure.visits)
        row.base_surveyed += figure.surveyed
        row.base_satisfied += figure.satisfied
    attendance = (
        Registration.objects.filter(attended_q(), session__date__year=year)
        .annotate(m=ExtractMonth("session__date"))
        .values("m")
        .annotate(n=Count("pk"))
    )
    for m, row in _by_month(list(attendance)).items():
        months[m - 1].attendance = row["n"]
    surveys = (
        SurveyResponse.objects.filter(registration__session__date__year=year)
        .annotate(m=ExtractMonth("registration__session__date"))
        .values("m")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(overall__gte=SATISFIED_FROM)))
    )
    for m, row in _by_month(list(surveys)).items():
        months[m - 1].survey_answers, months[m - 1].survey_satisfied = row["n"], row["ok"]
    published = (
        Work.objects.filter(state__in=WorkState.once_published(), published_on__year=year)
        .annotate(m=ExtractMonth("published_on"))
        .values("m")
        .annotate(n=Count("pk"))
    )
    for m, row in _by_month(list(published)).items():
        months[m - 1].published = row["n"]
    reach = (
        ReachFigure.objects.filter(month__year=year)
        .annotate(m=ExtractMonth("month"))
        .values("m")
        .annotate(views=Sum("views"), plays=Sum("plays"))
    )
    for m, row in _by_month(list(reach)).items():
        months[m - 1].views, months[m - 1].plays = row["views"] or 0, row["plays"] or 0
    counts = dict(
        Work.objects.filter(state=WorkState.PUBLISHED).values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    by_kind = [(str(label), counts.get(value, 0)) for value, label in WorkKind.choices]
    return Dashboard(year=year, as_of=now, months=months, products_by_kind=by_kind)


def dashboard_years() -> list[int]:
    this_year = timezone.localdate().year
    years = {d.year for d in BaseMonthlyFigure.objects.dates("month", "year")}
    years |= {d.year for d in Work.objects.filter(published_on__isnull=False).dates("published_on", "year")}
    years.add(this_year)
    return sorted(years, reverse=True)


MONTH_LABEL = pgettext_lazy("eduworks dashboard", "Month")
