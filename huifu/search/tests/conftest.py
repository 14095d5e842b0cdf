"""Search fixtures: every app's records built through its own test fixtures (its real services)."""

from huifu.activities.tests.conftest import forum_type, make_activity  # noqa: F401
from huifu.cases.tests.conftest import make_case  # noqa: F401
from huifu.deepening.tests.conftest import _calendar, make_plan, make_profile  # noqa: F401
from huifu.events.tests.conftest import (  # noqa: F401
    make_session,
    other_university,
    other_university_user,
    talk_series,
    training_series,
    training_session,
    university,
    university_user,
)
from huifu.incentives.tests.conftest import make_project, period, project, submitted  # noqa: F401
from huifu.notices.tests.conftest import make_notice  # noqa: F401
from huifu.products.testing import catalogue  # noqa: F401
from huifu.servicedesk.tests.conftest import submit  # noqa: F401
from huifu.visits.tests.conftest import make_visit  # noqa: F401
