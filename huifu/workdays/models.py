"""The official working-day calendar of mainland China (工作日历).

Only the exceptions are stored:

* ``CalendarYear``: one row per year, saying whether the State Council's holiday schedule for
  that year has been published (and entered here), where it came from, and a ``revision`` token
  that changes on every edit (the calendar cache is keyed by it).
* ``SpecialDay``: a date that differs from the plain rule "Monday to Friday work, Saturday and
  Sunday rest": a public holiday (法定节假日 / 休息日, a day off that may fall on any weekday)
  or a make-up working day (调休上班日, always a Saturday or Sunday).

Ordinary weekdays and weekends are derived from the date. This is the *working-day* calendar
used for deadlines; the exchange's trading calendar is a different thing (make-up working days
are never trading days, the exchange may close on extra days) and will live beside it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The range of years the calendar accepts at all (pages, API, arithmetic).
MIN_YEAR = 1990
MAX_YEAR = 2199


class DayOfWeek(models.Func):
    """0 = Sunday … 6 = Saturday, in plain SQL of each backend.

    Django's own ``__week_day`` lookup calls a Python function on SQLite; a CHECK constraint
    written with it could not be satisfied by any other tool touching the database file.
    """

    output_field = models.IntegerField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        template = "CAST(strftime('%%%%w', %(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):  # noqa: ANN001, ANN003, ANN201
        return self.as_sql(compiler, connection, template="CAST(EXTRACT(DOW FROM %(expressions)s) AS INTEGER)", **extra)


class ScheduleStatus(models.TextChoices):
    PUBLISHED = "published", _("Schedule published")
    NOT_PUBLISHED = "not_published", _("No schedule published")


class SpecialDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (day off)")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")


class HolidayName(models.TextChoices):
    """The statutory holidays. Values are chinesecalendar's ``Holiday`` enum names."""

    NEW_YEARS_DAY = "new_years_day", _("New Year's Day")
    SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
    TOMB_SWEEPING_DAY = "tomb_sweeping_day", _("Tomb-sweeping Day")
    LABOUR_DAY = "labour_day", _("Labour Day")
    DRAGON_BOAT_FESTIVAL = "dragon_boat_festival", _("Dragon Boat Festival")
    MID_AUTUMN_FESTIVAL = "mid_autumn_festival", _("Mid-autumn Festival")
    NATIONAL_DAY = "national_day", _("National Day")
    OTHER = "other", _("Other (see note)")


class CalendarYear(models.Model):
    """Whether ``year``'s official schedule is known. A year without a row is not published."""

    year = models.PositiveSmallIntegerField(pgettext_lazy("calendar", "year"), unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ScheduleStatus.choices, default=ScheduleStatus.NOT_PUBLISHED
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the schedule comes from, e.g. “chinesecalendar 1.11.0” or the State Council notice number."),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Replaced by every edit of the year or of one of its days; the calendar cache is keyed by it.
    revision = models.UUIDField(default=uuid.uuid4, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR), name="workdays_year_in_range"
            ),
            models.CheckConstraint(condition=Q(status__in=ScheduleStatus.values), name="workdays_year_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ScheduleStatus.PUBLISHED) | ~Q(source=""),
                name="workdays_published_year_has_source",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def is_published(self) -> bool:
        return self.status == ScheduleStatus.PUBLISHED


class SpecialDay(models.Model):
    """A public holiday or a make-up working day. Written only by ``huifu.workdays.services``."""

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SpecialDayKind.choices)
    holiday = models.CharField(_("holiday"), max_length=32, choices=HolidayName.choices)
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Required when the holiday is “Other”."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SpecialDayKind.values), name="workdays_special_kind_valid"),
            models.CheckConstraint(condition=Q(holiday__in=HolidayName.values), name="workdays_special_holiday_valid"),
            # 调休上班日 only ever move work onto a Saturday or Sunday (ISO weekday 6 or 7).
            models.CheckConstraint(
                condition=Q(kind=SpecialDayKind.HOLIDAY) | Q(In(DayOfWeek("day"), [0, 6])),
                name="workdays_makeup_day_is_weekend",
            ),
            models.CheckConstraint(
                condition=~Q(holiday=HolidayName.OTHER) | ~Q(note=""), name="workdays_other_holiday_has_note"
            ),
            models.CheckConstraint(
                condition=Q(day__year__gte=MIN_YEAR) & Q(day__year__lte=MAX_YEAR), name="workdays_day_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()} {self.holiday_label}"

    @property
    def holiday_label(self) -> str:
        return self.note if self.holiday == HolidayName.OTHER else str(self.get_holiday_display())
