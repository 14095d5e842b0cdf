"""Seed the eight absorbed pilot programmes (huifu/incentives/pilots.py). Idempotent."""

from django.db import migrations


def seed(apps, schema_editor):
    from huifu.incentives.pilots import load_pilots

    load_pilots(apps.get_model("incentives", "PilotProgramme"))


class Migration(migrations.Migration):
    dependencies = [("incentives", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
