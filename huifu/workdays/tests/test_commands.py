"""`manage.py workdays_seed` and the demo seed."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from huifu.workdays import demo, services
from huifu.workdays.models import CalendarYear, SpecialDay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]


def test_seed_command_keeps_published_years_by_default(coordinator):
    services.special_day_remove(day=dt.date(2024, 2, 4), actor=coordinator)
    out = io.StringIO()
    call_command("workdays_seed", stdout=out)
    assert "2024: already published, kept" in out.getvalue()
    assert not SpecialDay.objects.filter(day=dt.date(2024, 2, 4)).exists()


def test_seed_command_force_reimports_a_year(coordinator):
    services.special_day_remove(day=dt.date(2024, 2, 4), actor=coordinator)
    out = io.StringIO()
    call_command("workdays_seed", "--year", "2024", "--force", stdout=out)
    assert "2024: imported" in out.getvalue()
    assert SpecialDay.objects.filter(day=dt.date(2024, 2, 4), kind="makeup_workday").exists()


def test_seed_command_fails_loudly_for_a_year_the_package_lacks():
    err = io.StringIO()
    with pytest.raises(CommandError, match="2099"):
        call_command("workdays_seed", "--year", "2099", stdout=io.StringIO(), stderr=err)
    assert "2099" in err.getvalue()
    assert not CalendarYear.objects.filter(year=2099).exists()


def test_demo_seed_is_idempotent():
    SpecialDay.objects.filter(day__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    out = io.StringIO()
    demo.seed(scale=1, stdout=out)
    assert "2026 imported" in out.getvalue() and "2023 kept" in out.getvalue()
    count = SpecialDay.objects.count()
    demo.seed(scale=1, stdout=io.StringIO())
    assert SpecialDay.objects.count() == count
    assert services.add_working_days(dt.date(2026, 2, 13), 1).date == dt.date(2026, 2, 14)
