"""Seed the exchange's 2023 product list (huifu/products/catalogue.py). Idempotent by code."""

from django.db import migrations


def seed(apps, schema_editor):
    from huifu.products.catalogue import HISTORICAL_VENUES, load_catalogue

    # At this migration the venues were stored under their published names (see 0003).
    load_catalogue(apps.get_model("products", "Product"), venues=HISTORICAL_VENUES)


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
