"""Test helpers: ``from huifu.products.testing import catalogue`` in a conftest.

The catalogue is seeded by a data migration, but a transactional test (``live_server``) flushes
every table; this fixture re-loads it so tests never depend on the order they run in."""

from __future__ import annotations

import pytest

from .catalogue import load_catalogue
from .models import Product


@pytest.fixture
def catalogue(db: None) -> dict[str, Product]:
    load_catalogue(Product)
    return {p.code: p for p in Product.objects.select_related("underlying")}
