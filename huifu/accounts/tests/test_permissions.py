"""The permission matrix: every page and endpoint of the app × every persona, allowed and denied,
and a denied write changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.accounts.models import PersonalAccessToken, User
from huifu.accounts.services import token_create
from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.directory.models import Organisation

EVERYONE = [
    "coordinator",
    "dept_staff",
    "dept_head",
    "finance_user",
    "msc_user",
    "ine_user",
    "member_a_admin",
    "member_a_contact",
    "member_b_admin",
    "member_b_contact",
    "partner_user",
    "regulator",
    "public_user",
]
# Who manages users at all (lists, create form): the coordinator and every org admin.
MANAGERS = {"coordinator", "member_a_admin", "member_b_admin", "partner_user"}
# Who manages member A's contact: the coordinator and A's admin. Other org admins get 404.
MANAGE_A = {"coordinator", "member_a_admin"}
ORG_ADMINS = {"member_a_admin", "member_b_admin", "partner_user"}


def persona(request, name):
    return request.getfixturevalue(name) if name else None


@pytest.fixture
def everyone(request):
    return {name: request.getfixturevalue(name) for name in EVERYONE}


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EVERYONE)
def test_profile_page(client, request, name):
    assert_allowed(client, persona(request, name), reverse("accounts:profile"))


def test_pages_send_anonymous_to_login(client, member_a_contact, db):
    for url in [
        reverse("accounts:profile"),
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_detail", args=[member_a_contact.pk]),
        reverse("accounts:org_security"),
    ]:
        assert_denied(client, None, url)
    for url in [
        reverse("accounts:token_create"),
        reverse("accounts:user_deactivate", args=[member_a_contact.pk]),
        reverse("accounts:user_reactivate", args=[member_a_contact.pk]),
        reverse("accounts:user_invite", args=[member_a_contact.pk]),
    ]:
        assert_denied(client, None, url, method="post")
    member_a_contact.refresh_from_db()
    assert member_a_contact.is_active


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("url_name", ["accounts:user_list", "accounts:user_create"])
def test_user_management_pages(client, request, everyone, name, url_name):
    user = everyone[name]
    if name in MANAGERS:
        assert_allowed(client, user, reverse(url_name))
    else:
        assert_denied(client, user, reverse(url_name), codes=(403,))


@pytest.mark.parametrize("name", EVERYONE)
def test_user_detail_page(client, everyone, name):
    target = everyone["member_a_contact"]
    url = reverse("accounts:user_detail", args=[target.pk])
    user = everyone[name]
    if name in MANAGE_A:
        assert_allowed(client, user, url)
    elif name in MANAGERS:
        assert_denied(client, user, url, codes=(404,))  # another organisation's user: "not there"
    else:
        assert_denied(client, user, url, codes=(403,))


@pytest.mark.parametrize("name", EVERYONE)
def test_user_edit_post(client, everyone, name):
    target = everyone["member_a_contact"]
    url = reverse("accounts:user_detail", args=[target.pk])
    data = {"full_name": "被改名", "phone": "", "org_role": "contact", "preferred_language": ""}
    if name in MANAGE_A:
        assert_allowed(client, everyone[name], url, method="post", data=data, ok=(302,))
        target.refresh_from_db()
        assert target.full_name == "被改名"
    else:
        assert_denied(client, everyone[name], url, method="post", data=data)
        target.refresh_from_db()
        assert target.full_name == "甲联系人"


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("action", ["user_deactivate", "user_invite"])
def test_user_actions(client, everyone, name, action):
    target = everyone["member_a_contact"]
    url = reverse(f"accounts:{action}", args=[target.pk])
    if name in MANAGE_A:
        response = assert_allowed(client, everyone[name], url, method="post", ok=(302,))
        assert response["Location"] == reverse("accounts:user_detail", args=[target.pk])
    else:
        assert_denied(client, everyone[name], url, method="post")
        target.refresh_from_db()
        assert target.is_active


@pytest.mark.parametrize("name", EVERYONE)
def test_user_reactivate(client, everyone, name):
    target = everyone["member_a_contact"]
    User.objects.filter(pk=target.pk).update(is_active=False)
    url = reverse("accounts:user_reactivate", args=[target.pk])
    if name in MANAGE_A:
        assert_allowed(client, everyone[name], url, method="post", ok=(302,))
        target.refresh_from_db()
        assert target.is_active
    elif name == "member_a_contact":
        # The deactivated user themself: the session no longer counts, so it is a login redirect.
        response = assert_denied(client, everyone[name], url, method="post", codes=(302,))
        assert response["Location"].startswith(reverse("account_login"))
        target.refresh_from_db()
        assert not target.is_active
    else:
        assert_denied(client, everyone[name], url, method="post")
        target.refresh_from_db()
        assert not target.is_active


@pytest.mark.parametrize("name", EVERYONE)
def test_org_security_page(client, everyone, name, org_a):
    url = reverse("accounts:org_security")
    user = everyone[name]
    if name in ORG_ADMINS:
        assert_allowed(client, user, url)
        assert_allowed(client, user, url, method="post", data={"require_mfa": "on"}, ok=(302,))
        assert Organisation.objects.get(pk=user.organisation_id).require_mfa
    else:
        assert_denied(client, user, url, codes=(403,))
        assert_denied(client, user, url, method="post", data={"require_mfa": "on"}, codes=(403,))
    if name not in ("member_a_admin",):
        org_a.refresh_from_db()
        assert org_a.require_mfa is False


@pytest.mark.parametrize("name", EVERYONE)
def test_token_pages(client, everyone, name):
    user = everyone[name]
    assert_allowed(client, user, reverse("accounts:token_create"), method="post", data={"name": "mine"})
    token = PersonalAccessToken.objects.get(user=user)
    # Someone else's token answers 404 and stays usable.
    other_owner = everyone["member_b_contact"] if name != "member_b_contact" else everyone["member_a_contact"]
    theirs, _ = token_create(user=other_owner, name="theirs", actor=other_owner)
    assert_denied(client, user, reverse("accounts:token_revoke", args=[theirs.pk]), method="post", codes=(404,))
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert_allowed(client, user, reverse("accounts:token_revoke", args=[token.pk]), method="post", ok=(302,))
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- API --------------------------------------------------------------------------------------


def test_api_requires_credentials(client, member_a_contact):
    assert_denied(client, None, "/api/v1/me/")
    assert_denied(client, None, "/api/v1/users/")
    assert_denied(client, None, f"/api/v1/users/{member_a_contact.pk}/")
    assert_denied(client, None, f"/api/v1/users/{member_a_contact.pk}/deactivate/", method="post")
    assert_denied(client, None, "/api/v1/tokens/")
    assert_denied(client, None, "/api/v1/tokens/", method="post", data={"name": "x"})
    member_a_contact.refresh_from_db()
    assert member_a_contact.is_active
    assert not PersonalAccessToken.objects.exists()


@pytest.mark.parametrize("name", EVERYONE)
def test_api_me_and_tokens(client, everyone, name):
    user = everyone[name]
    response = assert_allowed(client, user, "/api/v1/me/")
    assert response.json()["id"] == user.pk
    assert_allowed(client, user, "/api/v1/tokens/")
    response = assert_allowed(client, user, "/api/v1/tokens/", method="post", data={"name": "api"}, ok=(201,))
    own_id = response.json()["id"]
    other_owner = everyone["member_b_contact"] if name != "member_b_contact" else everyone["member_a_contact"]
    theirs, _ = token_create(user=other_owner, name="theirs", actor=other_owner)
    assert_denied(client, user, f"/api/v1/tokens/{theirs.pk}/", method="delete", codes=(404,))
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert_allowed(client, user, f"/api/v1/tokens/{own_id}/", method="delete", ok=(204,))


@pytest.mark.parametrize("name", EVERYONE)
def test_api_user_list(client, everyone, name):
    if name in MANAGERS:
        assert_allowed(client, everyone[name], "/api/v1/users/")
    else:
        assert_denied(client, everyone[name], "/api/v1/users/", codes=(403,))


@pytest.mark.parametrize("name", EVERYONE)
def test_api_user_create(client, everyone, name):
    data = {
        "email": "api.new@alpha.example",
        "full_name": "接口",
        "kind": "member",
        "organisation": everyone["member_a_admin"].organisation_id,
        "org_role": "contact",
    }
    if name in MANAGE_A:
        assert_allowed(
            client,
            everyone[name],
            "/api/v1/users/",
            method="post",
            data=data,
            content_type="application/json",
            ok=(201,),
        )
    else:
        # Other org admins: the organisation id is refused (400); everyone else: 403.
        assert_denied(
            client,
            everyone[name],
            "/api/v1/users/",
            method="post",
            data=data,
            content_type="application/json",
            codes=(400, 403),
        )
        assert not User.objects.filter(email="api.new@alpha.example").exists()


@pytest.mark.parametrize("name", EVERYONE)
def test_api_user_detail_patch_deactivate(client, everyone, name):
    target = everyone["member_a_contact"]
    base = f"/api/v1/users/{target.pk}/"
    user = everyone[name]
    if name in MANAGE_A:
        assert_allowed(client, user, base)
        assert_allowed(
            client, user, base, method="patch", data={"phone": "021-68400001"}, content_type="application/json"
        )
        assert_allowed(client, user, base + "deactivate/", method="post")
        target.refresh_from_db()
        assert target.phone == "021-68400001" and not target.is_active
        assert_allowed(client, user, base + "reactivate/", method="post")
    else:
        codes = (404,) if name in MANAGERS else (403,)
        assert_denied(client, user, base, codes=codes)
        assert_denied(
            client,
            user,
            base,
            method="patch",
            data={"phone": "021-68400001"},
            content_type="application/json",
            codes=codes,
        )
        assert_denied(client, user, base + "deactivate/", method="post", codes=codes)
        target.refresh_from_db()
        assert target.phone == "" and target.is_active
