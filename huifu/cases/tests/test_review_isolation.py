"""Second review (isolation): what a reader's search reveals about a published case.

A case may name its enterprise anonymously ("江西某铜业集团", ``enterprise_label``) while the
staff-only ``enterprise`` link points at the real directory entry. Readers must learn nothing
from the hidden link: searching for the real name must not find the anonymised case, or the
search box becomes an oracle that de-anonymises every case.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.cases.models import CaseAudience
from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory
from huifu.directory.models import OrganisationKind

pytestmark = pytest.mark.django_db

REAL_NAME = "赣江铜业股份有限公司"
LABEL = "江西某铜业集团"


@pytest.fixture
def anonymised_case(make_case):
    enterprise = OrganisationFactory(kind=OrganisationKind.ENTERPRISE, name_zh=REAL_NAME, member_number=None)
    return make_case(
        title="匿名铜企套保案例", audience=CaseAudience.PUBLIC, enterprise=enterprise, enterprise_label=LABEL
    )


@pytest.mark.parametrize("persona", ["public_user", "member_b_contact", "partner_user"])
def test_reader_search_by_hidden_real_name_finds_nothing(request, client, anonymised_case, persona):
    """The real company behind an anonymised case label is searchable by staff only."""
    user = request.getfixturevalue(persona)
    login(client, user)
    # The case itself is readable and shows only the anonymised label.
    page = client.get(anonymised_case.get_absolute_url()).content.decode()
    assert LABEL in page and REAL_NAME not in page
    api = client.get(reverse("api-case-list"), {"q": "赣江铜业"}).json()
    assert [row["title"] for row in api["results"]] == []
    listing = client.get(reverse("cases:list"), {"q": "赣江铜业"}).content.decode()
    assert "匿名铜企套保案例" not in listing


def test_staff_still_find_the_case_by_the_real_name(client, anonymised_case, coordinator):
    login(client, coordinator)
    api = client.get(reverse("api-case-list"), {"q": "赣江铜业"}).json()
    assert [row["title"] for row in api["results"]] == ["匿名铜企套保案例"]


def test_reader_search_by_label_finds_the_case(client, anonymised_case, public_user):
    login(client, public_user)
    api = client.get(reverse("api-case-list"), {"q": "某铜业"}).json()
    assert [row["title"] for row in api["results"]] == ["匿名铜企套保案例"]
