"""Seed the exchange's 2023 product list (huifu/products/catalogue.py). Idempotent by code."""

from django.db import migrations


def seed(apps, schema_editor):
    from huifu.products.catalogue import load_catalogue

    load_catalogue(apps.get_model("products", "Product"))


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
