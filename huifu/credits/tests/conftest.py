import pytest

from huifu.core.testing.factories import org_user


@pytest.fixture
def practitioner_a(org_a):
    return org_user(org_a, email="zhang@alpha.example", full_name="张晓明")


@pytest.fixture
def practitioner_b(org_b):
    return org_user(org_b, email="li@beta.example", full_name="李文华")


@pytest.fixture(autouse=True)
def credit_seed(db):
    """The categories and the 2008 rule the migration seeds (a live-server test flushes them)."""
    import importlib

    from django.apps import apps

    importlib.import_module("huifu.credits.migrations.0002_seed_cfa_2008_rule").seed(apps, None)
