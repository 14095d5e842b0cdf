import pytest
from django.core.management import call_command

from huifu.certificates.models import Certificate


@pytest.mark.django_db
def test_seed_demo_issues_certificates_and_runs_twice():
    call_command("seed_demo")
    count = Certificate.objects.count()
    assert count >= 1
    call_command("seed_demo")
    assert Certificate.objects.count() == count
