"""Shared fixtures: named personas built through the real services (see huifu/core/testing/)."""

from huifu.core.testing.browser import chromium_available  # noqa: F401
from huifu.core.testing.fixtures import *  # noqa: F403
from huifu.workdays.testing import official_calendar  # noqa: F401
