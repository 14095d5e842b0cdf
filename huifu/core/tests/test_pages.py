import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed


@pytest.mark.django_db
def test_home_without_login_is_the_public_landing_not_anyones_work(client, member_a_contact):
    """``/`` for a visitor without an account: the public landing page with a way to sign in,
    none of a user's home (no cards, no company)."""
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("account_login") in page
    assert "甲期货有限公司" not in page and "home-card" not in page


@pytest.mark.django_db
def test_home_shows_the_users_organisation(client, member_a_contact):
    response = assert_allowed(client, member_a_contact, reverse("core:home"))
    assert "甲期货有限公司" in response.content.decode()


@pytest.mark.django_db
def test_pages_are_chinese_by_default_and_english_on_request(client, member_a_contact):
    response = assert_allowed(client, member_a_contact, reverse("core:home"))
    assert 'lang="zh-CN"' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("core:home"))
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client, member_a_contact):
    response = assert_allowed(client, member_a_contact, "/no-such-page/", ok=(404,))
    assert "404" in response.content.decode()


@pytest.mark.django_db
def test_api_schema_and_docs_are_served(client, member_a_contact):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["openapi"].startswith("3.")
    assert "BearerAuth" in body["components"]["securitySchemes"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Swagger UI comes from the vendored sidecar package, never from a CDN.
    assert "cdn" not in docs.content.decode().lower()


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese(client, member_a_contact):
    response = assert_allowed(client, member_a_contact, reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-CN"' in response.content.decode()


@pytest.mark.django_db
def test_a_saved_preference_applies_without_the_cookie(client, member_a_contact):
    member_a_contact.preferred_language = "en"
    member_a_contact.save()
    response = assert_allowed(client, member_a_contact, reverse("core:home"))
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_self_service_email_change_is_closed(client, member_a_contact):
    response = assert_allowed(client, member_a_contact, "/accounts/email/", ok=(302,))
    assert response["Location"] == reverse("accounts:profile")
    client.post("/accounts/email/", {"action_add": "", "email": "other@example.com"})
    member_a_contact.refresh_from_db()
    assert member_a_contact.email == "contact@alpha.example"
