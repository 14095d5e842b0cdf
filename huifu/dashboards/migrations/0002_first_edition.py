"""Seeds the first edition (2023) of the figures' definitions and the public threshold. The texts
come from ``defaults.py``; later editions are new rows written by staff, never edits of these."""

from django.db import migrations

FIRST = 2023


def seed(apps, schema_editor):
    from huifu.dashboards.defaults import DEFAULT_PUBLIC_MINIMUM, DEFINITIONS

    Definition = apps.get_model("dashboards", "FigureDefinition")
    Threshold = apps.get_model("dashboards", "PublicThreshold")
    for key, (zh, en) in DEFINITIONS.items():
        Definition.objects.get_or_create(year=FIRST, key=key, defaults={"text_zh": zh, "text_en": en})
    Threshold.objects.get_or_create(year=FIRST, defaults={"minimum": DEFAULT_PUBLIC_MINIMUM})


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
