"""The hotline number of the 2023 plan (footnote of the seed): 800-820-3618. A later 400
number is recorded as a new setting with its date of effect, not by editing this row."""

import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    HotlineSetting = apps.get_model("hotline", "HotlineSetting")
    HotlineSetting.objects.get_or_create(
        effective_from=datetime.date(2023, 1, 1),
        defaults={"number": "800-820-3618", "follow_up_working_days": 2, "note": "2023年会员服务和投资者教育工作安排"},
    )


def backwards(apps, schema_editor):
    apps.get_model("hotline", "HotlineSetting").objects.filter(effective_from=datetime.date(2023, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
