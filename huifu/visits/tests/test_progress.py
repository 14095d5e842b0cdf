"""The visit's stepper: stages derived from VISIT_TRANSITIONS, every state at a stage, who acts
next, the arrangement's due date and the viewer's next action as the primary button."""

from types import SimpleNamespace

from django.urls import reverse

from huifu.core.progress import CURRENT, stage_of
from huifu.core.testing.auth import login
from huifu.visits.models import VISIT_TRANSITIONS, VisitStatus
from huifu.visits.progress import VISIT_OFF_PATH, VISIT_PATH, visit_progress


def test_every_visit_state_has_a_stage():
    assert set(VISIT_TRANSITIONS) == set(VisitStatus.values)
    assert VISIT_PATH == ["requested", "arranged", "confirmed", "held"]
    for status in VisitStatus.values:
        assert stage_of(status, path=VISIT_PATH, off_path=VISIT_OFF_PATH)
        for arranged in (True, False):
            visit = SimpleNamespace(
                pk=1,
                status=status,
                confirmed_at=None,
                has_arrangement=arranged,
                get_status_display=lambda s=status: VisitStatus(s).label,
            )
            stepper = visit_progress(visit, flags={})
            assert stepper.finished or sum(s.state == CURRENT for s in stepper.steps) == 1


def test_coordinator_arranges_member_confirms(client, coordinator, member_a_admin, make_visit, arrange):
    visit = make_visit()
    login(client, coordinator)
    stepper = client.get(visit.get_absolute_url()).context["stepper"]
    assert stepper.current.key == "requested"
    assert stepper.action.url == reverse("visits:arrange", args=[visit.pk])
    assert stepper.due_at is not None  # 2 working days
    arrange(visit)
    client.logout()
    login(client, member_a_admin)
    page = client.get(visit.get_absolute_url())
    stepper = page.context["stepper"]
    assert stepper.current.key == "arranged" and stepper.action.post
    assert stepper.action.url == reverse("visits:confirm", args=[visit.pk])
    assert page.content.decode().count(reverse("visits:confirm", args=[visit.pk])) == 1  # once, as the primary


def test_cancelled_visit_is_not_finished(coordinator, make_visit):
    from huifu.visits import services

    visit = services.visit_cancel(actor=coordinator, visit=make_visit(), reason="时间冲突")
    stepper = visit_progress(visit, flags={})
    assert not stepper.finished and stepper.tone == "bad" and stepper.current.key == "requested"
