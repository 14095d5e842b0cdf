"""A company learns only about its own participations: the project list's count is the
viewer's own for members, the whole market's for staff."""

import pytest

from huifu.incentives.selectors import project_list

pytestmark = pytest.mark.django_db


def test_project_list_counts_only_the_members_own_participations(
    submitted, member_a_admin, member_b_admin, coordinator
):
    project = submitted.project
    counts = {
        "a": project_list(user=member_a_admin).get(pk=project.pk).participation_count,
        "b": project_list(user=member_b_admin).get(pk=project.pk).participation_count,
        "staff": project_list(user=coordinator).get(pk=project.pk).participation_count,
    }
    assert counts == {"a": 1, "b": 0, "staff": 1}
