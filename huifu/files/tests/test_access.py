import pytest
from django.contrib.auth.models import AnonymousUser

from huifu.files import access
from huifu.files.services import file_store

from .conftest import MINIMAL_PDF, upload


@pytest.fixture
def exchange_file(db):
    return file_store(upload=upload("交易所通知.pdf", MINIMAL_PDF), actor=None, organisation=None, purpose="circular")


@pytest.fixture
def org_a_file(member_a_admin, org_a):
    return file_store(upload=upload("甲.pdf", MINIMAL_PDF), actor=member_a_admin, organisation=org_a, purpose="seal")


def test_staff_read_everything(dept_staff, exchange_file, org_a_file):
    assert access.can_download(dept_staff, exchange_file)
    assert access.can_download(dept_staff, org_a_file)


def test_owning_organisation_only(member_a_contact, member_b_admin, public_user, org_a_file, exchange_file):
    assert access.can_download(member_a_contact, org_a_file)
    assert not access.can_download(member_b_admin, org_a_file)
    # Users without an organisation do not "own" the exchange's files (organisation None).
    assert not access.can_download(public_user, exchange_file)
    assert not access.can_download(member_a_contact, exchange_file)


def test_anonymous_and_inactive_are_refused(member_a_contact, org_a_file):
    assert not access.can_download(AnonymousUser(), org_a_file)
    member_a_contact.is_active = False
    assert not access.can_download(member_a_contact, org_a_file)


def test_checker_decides_for_its_purpose_only(public_user, exchange_file, org_a_file):
    access.register("circular", lambda user, stored_file: True)
    try:
        assert access.can_download(public_user, exchange_file)
        assert not access.can_download(public_user, org_a_file)  # purpose "seal": no checker
    finally:
        access.unregister("circular")
    assert not access.can_download(public_user, exchange_file)


def test_rules_permission_matches(member_a_admin, member_b_admin, org_a_file):
    assert member_a_admin.has_perm("files.download_file", org_a_file)
    assert not member_b_admin.has_perm("files.download_file", org_a_file)
