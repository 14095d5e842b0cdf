"""English names for activity types already in a database (the demo's seeded types): filled
only where empty and the Chinese name is one we know. Reversing leaves the names as they are."""

from django.db import migrations

ENGLISH = {
    "大型论坛": "Large forum",
    "投资者报告会": "Investor report meeting",
    "小型产业沙龙": "Small industry salon",
    "校园人才培养": "Campus talent cultivation",
    "调研": "Research visit",
    "线上直播": "Online live stream",
    "专项活动": "Special activity",
}


def fill(apps, schema_editor):
    ActivityType = apps.get_model("activities", "ActivityType")
    for zh, en in ENGLISH.items():
        ActivityType.objects.filter(name=zh, name_en="").update(name_en=en)


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_activity_type_name_en_campus_university")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
