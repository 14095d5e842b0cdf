"""Shared fixtures: named personas built through the real services (see huifu/core/testing.py)."""

from huifu.core.testing.fixtures import *  # noqa: F403
from huifu.workdays.testing import official_calendar  # noqa: E402, F401
