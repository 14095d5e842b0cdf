import importlib

import pytest

from huifu.certificates.models import Certificate

# The demo apps the certificates' demo builds on, in seed_demo's order.
APPS = ["directory", "accounts", "workdays", "products", "events", "certificates"]


def _seed():
    for app in APPS:
        importlib.import_module(f"huifu.{app}.demo").seed(scale=1, stdout=None)


@pytest.mark.django_db
def test_demo_issues_certificates_and_runs_twice():
    _seed()
    count = Certificate.objects.count()
    assert count >= 1
    assert all(c.eligibility["sessions"][0]["how"] == "check_in" for c in Certificate.objects.all())
    _seed()
    assert Certificate.objects.count() == count
