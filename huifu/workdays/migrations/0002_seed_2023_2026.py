"""Seed 2023–2026 from the chinesecalendar package, marked published with the package as source.

Reads the package through ``huifu.workdays.sources`` (pure data, no models), exactly as
``services.calendar_year_import`` does later. A year that already has a record is left alone.
"""

from django.db import migrations

SEED_YEARS = (2023, 2024, 2025, 2026)


def seed(apps, schema_editor):
    from huifu.workdays.sources import package_schedule, package_source

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    source = package_source()
    for year in SEED_YEARS:
        days = package_schedule(year)
        if not days or CalendarYear.objects.filter(year=year).exists():
            continue
        CalendarYear.objects.create(
            year=year, status="published", source=source, notes=f"安装时从 {source} 导入。Seeded from {source} on installation."
        )
        SpecialDay.objects.bulk_create(
            SpecialDay(day=d.day, kind=d.kind, holiday=d.holiday, note=d.note) for d in days
        )


def unseed(apps, schema_editor):
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    SpecialDay.objects.filter(day__year__in=SEED_YEARS).delete()
    CalendarYear.objects.filter(year__in=SEED_YEARS).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
