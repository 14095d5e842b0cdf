"""Seed the hour categories and the China Futures Association's practitioner rule as published
in 2008 (《期货从业人员后续职业培训规则》): at least 18 hours per two years, at least 3 of them on
futures law and professional ethics, a one-year deferral on written application. Flagged
``seed_unchecked``: staff must check it against the rule in force before relying on it."""

from decimal import Decimal

from django.db import migrations

CATEGORIES = [
    ("law_ethics", "法律法规与职业道德", "Futures law and professional ethics", 10),
    ("professional", "专业知识", "Professional knowledge", 20),
]


def seed(apps, schema_editor):
    HourCategory = apps.get_model("credits", "HourCategory")
    CreditRule = apps.get_model("credits", "CreditRule")
    CategoryMinimum = apps.get_model("credits", "CategoryMinimum")
    by_code = {}
    for code, zh, en, order in CATEGORIES:
        by_code[code], _ = HourCategory.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": order}
        )
    rule, created = CreditRule.objects.get_or_create(
        year=2008,
        defaults={
            "title": "期货从业人员后续职业培训规则",
            "source": "中国期货业协会《期货从业人员后续职业培训规则》（2008年发布）",
            "window_years": 2,
            "min_hours": Decimal("18"),
            "deferral_years": 1,
            "seed_unchecked": True,
            "note": "种子数据：请与现行规则核对（seed value: check against the current rule）。"
            "每两年不少于18学时，其中期货法律法规与职业道德不少于3学时；书面申请可延期一年。",
        },
    )
    if created:
        CategoryMinimum.objects.create(rule=rule, category=by_code["law_ethics"], min_hours=Decimal("3"))


class Migration(migrations.Migration):
    dependencies = [("credits", "0001_hour_categories_rules_claims")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
