import pytest

from huifu.core.testing.factories import org_user


@pytest.fixture
def practitioner_a(org_a):
    return org_user(org_a, email="zhang@alpha.example", full_name="张晓明")


@pytest.fixture
def practitioner_b(org_b):
    return org_user(org_b, email="li@beta.example", full_name="李文华")
