"""The Django admin has no login of its own: it uses the site's login, with the second factor."""

from __future__ import annotations

from django.urls import reverse

from huifu.core.testing.auth import ensure_totp


def test_admin_login_page_sends_to_the_site_login(client, db):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/django-admin/"
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 302  # and on to the site's login


def test_admin_login_form_cannot_skip_the_second_factor(client, coordinator, password):
    coordinator.is_staff = True
    coordinator.save()
    ensure_totp(coordinator)
    response = client.post(
        "/django-admin/login/?next=/django-admin/", {"username": coordinator.email, "password": password}
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/django-admin/").status_code == 302
    assert response.status_code in (302, 405)
