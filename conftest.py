"""Shared fixtures: named personas built through the real services (see huifu/core/testing.py)."""

from huifu.core.testing.fixtures import *  # noqa: F403
