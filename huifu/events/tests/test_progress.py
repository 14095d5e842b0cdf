"""The registration's stepper: stages derived from REGISTRATION_TRANSITIONS (waiting list, offer,
confirmed; refused/expired/cancelled shown where they stopped), the offer's confirmation deadline,
the viewer's next action; another person's registration answers 404."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from huifu.core.progress import CURRENT
from huifu.core.testing.auth import login
from huifu.core.testing.factories import UserFactory
from huifu.events import services
from huifu.events.models import REGISTRATION_TRANSITIONS, RegistrationState
from huifu.events.progress import REGISTRATION_PATH, registration_progress

pytestmark = pytest.mark.django_db
R = RegistrationState


def test_every_registration_state_has_a_stage():
    assert set(REGISTRATION_TRANSITIONS) == set(R.values)
    assert REGISTRATION_PATH == [R.PENDING, R.WAITLISTED, R.OFFERED, R.CONFIRMED]
    viewer = SimpleNamespace(pk=99, has_perm=lambda *a: False)
    for state in R.values:
        for moderated in (True, False):
            for offered in (None, timezone.now()):
                reg = SimpleNamespace(
                    pk=1,
                    state=state,
                    offer_expires_at=offered,
                    person_id=1,
                    registered_by_id=1,
                    session=SimpleNamespace(requires_approval=moderated),
                    get_state_display=lambda s=state: R(s).label,
                )
                stepper = registration_progress(reg, user=viewer)
                assert stepper.finished or sum(s.state == CURRENT for s in stepper.steps) == 1, state
                if state in (R.REFUSED, R.EXPIRED, R.CANCELLED):
                    assert not stepper.finished and stepper.tone == "bad"


@pytest.fixture
def waiting(make_session):
    people = [UserFactory(email=f"w{i}@example.com", full_name=f"候补{i}") for i in range(2)]
    session = make_session(date=timezone.localdate() + datetime.timedelta(days=20), capacity=1, publish=True)
    regs = [services.registration_create(actor=p, session=session) for p in people]
    return people, regs


def test_offer_shows_deadline_and_confirm_button(client, waiting):
    (seated_person, person), (seated, reg) = waiting
    login(client, person)
    page = client.get(reverse("events:registration_detail", args=[reg.pk]))
    stepper = page.context["stepper"]
    assert [s.key for s in stepper.steps] == [R.WAITLISTED, R.OFFERED, R.CONFIRMED]
    assert stepper.current.key == R.WAITLISTED and stepper.action is None
    services.registration_cancel(actor=seated_person, registration=seated)
    page = client.get(reverse("events:registration_detail", args=[reg.pk]))
    stepper = page.context["stepper"]
    reg.refresh_from_db()
    assert stepper.current.key == R.OFFERED and stepper.due_at == reg.offer_expires_at
    from huifu.notifications.models import Notification

    offer = Notification.objects.filter(recipient=person).latest("pk")
    assert offer.url == reverse("events:registration_detail", args=[reg.pk])  # straight to 确认座位
    assert stepper.action.post and stepper.action.url == reverse("events:registration_accept", args=[reg.pk])
    client.post(stepper.action.url)
    stepper = client.get(reverse("events:registration_detail", args=[reg.pk])).context["stepper"]
    assert stepper.finished and stepper.action is None


def test_direct_seat_has_no_waiting_stages(client, waiting):
    (seated_person, _), (seated, _reg) = waiting
    login(client, seated_person)
    page = client.get(reverse("events:registration_detail", args=[seated.pk]))
    assert [s.key for s in page.context["stepper"].steps] == [R.CONFIRMED]
    assert page.context["stepper"].finished


def test_someone_else_cannot_open_a_registration(client, waiting):
    (_, person), (seated, _reg) = waiting
    login(client, person)
    assert client.get(reverse("events:registration_detail", args=[seated.pk])).status_code == 404
