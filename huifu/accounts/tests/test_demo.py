"""The demo logins: one per role, idempotent, and the printed credentials really work."""

from __future__ import annotations

from io import StringIO

from django.urls import reverse

from huifu.accounts import demo
from huifu.accounts.models import User, UserKind
from huifu.accounts.totp import DEMO_TOTP_SECRET
from huifu.core.testing.auth import fresh_code
from huifu.core.testing.factories import DepartmentFactory, OrganisationFactory
from huifu.directory.models import DepartmentKind, OrganisationKind
from huifu.directory.regions import Region


def make_directory():
    for kind in [
        DepartmentKind.COORDINATOR,
        DepartmentKind.BUSINESS,
        DepartmentKind.MARKET_SERVICE_CENTER,
        DepartmentKind.FINANCE,
        DepartmentKind.SUBSIDIARY,
    ]:
        DepartmentFactory(kind=kind)
    OrganisationFactory(kind=OrganisationKind.FUTURES_COMPANY)
    OrganisationFactory(kind=OrganisationKind.FUTURES_COMPANY)
    OrganisationFactory(kind=OrganisationKind.PLATFORM_TRADER, member_number=None)
    for kind in OrganisationKind.partner_kinds():
        OrganisationFactory(kind=kind, member_number=None)
    OrganisationFactory(kind=OrganisationKind.CSRC_BUREAU, member_number=None, region=Region.ZHEJIANG)
    return OrganisationFactory(kind=OrganisationKind.CSRC_BUREAU, member_number=None, region=Region.SHANGHAI)


def test_seed_creates_one_user_per_role_and_is_idempotent(db):
    shanghai = make_directory()
    out = StringIO()
    demo.seed(scale=1, stdout=out)
    assert User.objects.filter(email__endswith=demo.DEMO_DOMAIN).count() == len(demo.ROLES)
    demo.seed(scale=1, stdout=StringIO())
    assert User.objects.filter(email__endswith=demo.DEMO_DOMAIN).count() == len(demo.ROLES)
    text = out.getvalue()
    assert demo.DEMO_PASSWORD in text and DEMO_TOTP_SECRET in text and "demo_totp" in text
    regulator = User.objects.get(email=f"regulator@{demo.DEMO_DOMAIN}")
    assert regulator.organisation == shanghai and regulator.kind == UserKind.REGULATOR
    a = User.objects.get(email=f"member-a-admin@{demo.DEMO_DOMAIN}")
    b = User.objects.get(email=f"member-b-admin@{demo.DEMO_DOMAIN}")
    assert a.organisation_id != b.organisation_id
    assert User.objects.get(email=f"investor@{demo.DEMO_DOMAIN}").kind == UserKind.PUBLIC


def test_seed_skips_roles_without_directory_data(db):
    out = StringIO()
    demo.seed(scale=1, stdout=out)
    assert User.objects.filter(email__endswith=demo.DEMO_DOMAIN).count() == 1  # only the public participant
    assert "skipped" in out.getvalue()


def test_demo_staff_can_log_in_with_password_and_code(client, db):
    make_directory()
    demo.seed(scale=1, stdout=None)
    email = f"coordinator@{demo.DEMO_DOMAIN}"
    response = client.post("/accounts/login/", {"login": email, "password": demo.DEMO_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": fresh_code(DEMO_TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:user_list")).status_code == 200
