"""Known exchange closures on ordinary working days (data; staff add more on the closures page)."""

import datetime

from django.db import migrations

KNOWN_CLOSURES = [
    (datetime.date(2024, 2, 9), "春节前休市（除夕，2024年交易日共242天）"),
]


def seed(apps, schema_editor):
    ExchangeClosure = apps.get_model("tradingdata", "ExchangeClosure")
    for day, reason in KNOWN_CLOSURES:
        ExchangeClosure.objects.get_or_create(day=day, defaults={"reason": reason})


class Migration(migrations.Migration):
    dependencies = [("tradingdata", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
