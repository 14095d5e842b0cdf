"""The stepper of a participation and a project: stages derived from the state machines, every
state shown at a stage, who acts next and the viewer's next action as the primary button."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from huifu.core.progress import CURRENT, DONE, machine_path, stage_of
from huifu.core.testing.auth import login
from huifu.incentives.models import PARTICIPATION_TRANSITIONS, ParticipationStatus, ProjectStatus
from huifu.incentives.progress import (
    PARTICIPATION_OFF_PATH,
    PARTICIPATION_PATH,
    participation_progress,
    project_path,
    project_progress,
)
from huifu.incentives.services.projects import PROJECT_TRANSITIONS


def test_every_participation_state_has_a_stage():
    assert set(PARTICIPATION_TRANSITIONS) == set(ParticipationStatus.values)
    for status in ParticipationStatus.values:
        for closing in (True, False):
            record = SimpleNamespace(
                status=status,
                project=SimpleNamespace(requires_closing=closing),
                get_status_display=lambda s=status: ParticipationStatus(s).label,
            )
            stepper = participation_progress(record, flags={})
            assert stepper.finished or sum(s.state == CURRENT for s in stepper.steps) == 1, status
    for status in ParticipationStatus.values:
        assert stage_of(status, path=PARTICIPATION_PATH, off_path=PARTICIPATION_OFF_PATH)


def test_every_project_state_has_a_stage():
    assert project_path() == [ProjectStatus.DRAFT, ProjectStatus.OPEN, ProjectStatus.CLOSED]
    assert set(PROJECT_TRANSITIONS) == set(ProjectStatus.values)


def test_the_path_follows_the_machine():
    assert PARTICIPATION_PATH == ["submitted", "tracking", "acceptance_review", "accepted", "closing_review", "closed"]
    # A state added to the machine without a place on the stepper fails loudly.
    drifted = {**PARTICIPATION_TRANSITIONS, "appealed": frozenset()}
    with pytest.raises(ImproperlyConfigured):
        machine_path(drifted, start="submitted", off_path=PARTICIPATION_OFF_PATH)


def test_member_sees_submit_results_as_primary_button(client, member_a_admin, tracking):
    login(client, member_a_admin)
    page = client.get(tracking.get_absolute_url())
    stepper = page.context["stepper"]
    assert stepper.current.key == "tracking" and stepper.steps[0].state == DONE
    assert stepper.action.url == "#results-box"
    html = page.content.decode()
    assert 'data-testid="stepper"' in html and 'id="results-box"' in html


def test_staff_sees_review_member_does_not(client, member_a_admin, dept_staff, submitted):
    login(client, dept_staff)
    assert client.get(submitted.get_absolute_url()).context["stepper"].action.url == "#review-box"
    client.logout()
    login(client, member_a_admin)
    stepper = client.get(submitted.get_absolute_url()).context["stepper"]
    assert stepper.action is None and stepper.next_actor
    assert stepper.due_at is not None  # the review's tracked deadline


def test_without_closing_acceptance_finishes(accepted):
    stepper = participation_progress(accepted, flags={})
    if not accepted.project.requires_closing:
        assert stepper.finished and [s.key for s in stepper.steps][-1] == "accepted"


def test_project_page_shows_its_stage(client, coordinator, project):
    login(client, coordinator)
    stepper = client.get(project.get_absolute_url()).context["stepper"]
    assert stepper.current.key == "open"
    assert project_progress(project).status_label
