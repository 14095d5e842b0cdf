"""Downloading: permission matrix, headers, and the API endpoint with a Bearer token."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.files import access
from huifu.files.services import file_store

from .conftest import MINIMAL_PDF, upload

FILE_NAME = "甲期货 2025年度报告.pdf"


@pytest.fixture
def org_a_file(member_a_admin, org_a):
    return file_store(
        upload=upload(FILE_NAME, MINIMAL_PDF), actor=member_a_admin, organisation=org_a, purpose="test_report"
    )


@pytest.fixture
def url(org_a_file):
    return reverse("files:download", args=[org_a_file.id])


def test_owner_organisation_users_download(client, url, member_a_admin, member_a_contact):
    for user in (member_a_admin, member_a_contact):
        response = assert_allowed(client, user, url)
        assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_staff_download(client, url, coordinator, dept_staff, finance_user):
    for user in (coordinator, dept_staff, finance_user):
        assert_allowed(client, user, url)


def test_other_users_get_404(client, url, member_b_admin, member_b_contact, partner_user, regulator, public_user):
    for user in (member_b_admin, member_b_contact, partner_user, regulator, public_user):
        assert_denied(client, user, url, codes=(404,))


def test_anonymous_is_sent_to_login(client, url):
    assert_denied(client, None, url)


def test_missing_file_is_404_like_a_forbidden_one(client, member_a_admin):
    url = reverse("files:download", args=["00000000-0000-0000-0000-000000000000"])
    assert_denied(client, member_a_admin, url, codes=(404,))


def test_headers_attachment_type_nosniff_and_encoded_name(client, url, member_a_admin):
    response = assert_allowed(client, member_a_admin, url)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(FILE_NAME)}" in disposition
    assert response["Content-Length"] == str(len(MINIMAL_PDF))
    assert "no-store" in response["Cache-Control"]


def test_purpose_checker_can_grant_access(client, url, member_b_admin, public_user):
    access.register("test_report", lambda user, stored_file: user.email == "admin@beta.example")
    try:
        assert_allowed(client, member_b_admin, url)
        assert_denied(client, public_user, url, codes=(404,))
    finally:
        access.unregister("test_report")


def test_post_is_not_allowed(client, url, member_a_admin):
    response = assert_denied(client, member_a_admin, url, method="post", codes=(405,))
    assert response.status_code == 405


class TestApi:
    @pytest.fixture
    def api_url(self, org_a_file):
        return reverse("api-file-download", args=[org_a_file.id])

    def test_bearer_token_of_owner_downloads(self, client, api_url, member_a_admin):
        from huifu.accounts.services import token_create

        _, token = token_create(user=member_a_admin, name="script", actor=member_a_admin)
        response = client.get(api_url, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="application/pdf")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == MINIMAL_PDF
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_other_company_gets_404_with_error_envelope(self, client, api_url, member_b_admin):
        response = assert_denied(client, member_b_admin, api_url, codes=(404,))
        assert response.json()["error"]["code"] == "not_found"

    def test_staff_session_downloads(self, client, api_url, dept_staff):
        assert_allowed(client, dept_staff, api_url)

    def test_anonymous_gets_401(self, client, api_url):
        assert_denied(client, None, api_url)
