import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service and importer messages are asserted in their English source form; pages still
    render in the request's language (Chinese by default)."""
    with translation.override("en"):
        yield
