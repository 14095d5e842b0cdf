"""Second review (isolation), locking in behaviour that had no test: the files of a visit (the
letter registered by staff, the generated .ics invitation), the calendar endpoint and the
invitation e-mails never reach another organisation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.files.models import StoredFile
from huifu.outbox.models import OutboxMessage
from huifu.visits import services
from huifu.visits.models import VisitStatus

from .conftest import REQUEST, pdf_upload

pytestmark = pytest.mark.django_db

OUTSIDERS = ["member_b_admin", "partner_user", "regulator", "public_user"]


@pytest.fixture
def letter_visit(msc_user, org_a, arrange):
    visit = services.visit_letter_register(
        actor=msc_user,
        organisation=org_a,
        letter=pdf_upload(),
        received_at=timezone.now(),
        contact_name="甲联系人",
        contact_email="visits@alpha.example",
        **REQUEST,
    )
    arrange(visit)
    visit.refresh_from_db()
    return visit


def _invitation(visit):
    return StoredFile.objects.filter(purpose=services.VISIT_INVITATION_PURPOSE, organisation=visit.organisation).first()


def test_visiting_company_reads_letter_invitation_and_calendar(client, letter_visit, member_a_contact):
    invitation = _invitation(letter_visit)
    assert invitation is not None
    assert_allowed(client, member_a_contact, reverse("files:download", args=[letter_visit.letter_id]))
    assert_allowed(client, member_a_contact, reverse("files:download", args=[invitation.pk]))
    assert_allowed(client, member_a_contact, reverse("visits:ics", args=[letter_visit.pk]))


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_other_organisations_get_nothing_of_the_visit(request, client, letter_visit, persona):
    user = request.getfixturevalue(persona)
    invitation = _invitation(letter_visit)
    for url in (
        reverse("files:download", args=[letter_visit.letter_id]),
        reverse("files:download", args=[invitation.pk]),
        reverse("api-file-download", args=[invitation.pk]),
        letter_visit.get_absolute_url(),
    ):
        assert_denied(client, user, url, codes=(403, 404))
    assert_denied(client, user, reverse("visits:ics", args=[letter_visit.pk]), codes=(403, 404))
    # A denied confirmation changes nothing.
    assert_denied(client, user, reverse("visits:confirm", args=[letter_visit.pk]), method="post", codes=(403, 404))
    letter_visit.refresh_from_db()
    assert letter_visit.status == VisitStatus.ARRANGED


def test_invitation_mail_goes_to_the_contact_and_attendees_only(letter_visit, member_b_admin, coordinator, dept_staff):
    recipients = set(OutboxMessage.objects.values_list("to", flat=True))
    assert "visits@alpha.example" in recipients
    assert {coordinator.email, dept_staff.email} <= recipients
    assert member_b_admin.email not in recipients
    assert (
        not OutboxMessage.objects.filter(organisation__isnull=False)
        .exclude(organisation=letter_visit.organisation)
        .exists()
    )
