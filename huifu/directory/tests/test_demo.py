import io

import pytest

from huifu.directory import demo
from huifu.directory.models import (
    BusinessArea,
    Contact,
    Department,
    DepartmentKind,
    Liaison,
    Organisation,
    OrganisationKind,
)
from huifu.directory.regions import Region
from huifu.directory.services import organisation_clean
from huifu.directory.validators import validate_uscc

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (Department, BusinessArea, Liaison, Organisation, Contact))


def test_seed_is_realistic_and_idempotent():
    out = io.StringIO()
    demo.seed(scale=1, stdout=out)
    first = counts()
    demo.seed(scale=1, stdout=out)
    assert counts() == first
    futures = Organisation.objects.filter(kind=OrganisationKind.FUTURES_COMPANY)
    assert futures.count() == 150
    assert Organisation.objects.filter(kind=OrganisationKind.CSRC_BUREAU).count() == 36
    assert set(Organisation.objects.filter(kind=OrganisationKind.CSRC_BUREAU).values_list("region", flat=True)) == (
        set(Region.values) - {Region.OVERSEAS}
    )
    for kind in OrganisationKind.values:
        assert Organisation.objects.filter(kind=kind).exists(), kind
    for kind in (
        DepartmentKind.COORDINATOR,
        DepartmentKind.BUSINESS,
        DepartmentKind.MARKET_SERVICE_CENTER,
        DepartmentKind.FINANCE,
        DepartmentKind.SUBSIDIARY,
    ):
        assert Department.objects.filter(kind=kind).exists(), kind
    assert BusinessArea.objects.filter(name_zh="原油", department__kind=DepartmentKind.SUBSIDIARY).exists()
    assert Liaison.objects.filter(phone__startswith="021-6869").count() == Liaison.objects.count()
    # Every record passes the same rules as data entered by hand.
    for org in Organisation.objects.all():
        if org.uscc:
            validate_uscc(org.uscc)
        organisation_clean(values={}, instance=org)
    assert Contact.objects.filter(is_primary=True).count() == Organisation.objects.exclude(email="").count()
    assert "organisations" in out.getvalue()


def test_scale_multiplies_futures_companies():
    demo.seed(scale=2)
    assert Organisation.objects.filter(kind=OrganisationKind.FUTURES_COMPANY).count() == 300
    assert len(set(Organisation.objects.values_list("name_zh", flat=True))) == Organisation.objects.count()
    before = counts()
    demo.seed(scale=1)  # a smaller run after a bigger one removes nothing and adds nothing
    assert counts() == before
