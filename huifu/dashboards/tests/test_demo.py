import pytest
from django.utils import timezone

from huifu.dashboards import demo
from huifu.dashboards.definitions import definitions_for
from huifu.dashboards.models import FigureDefinition

pytestmark = pytest.mark.django_db


def test_demo_runs_twice_and_shows_a_later_edition():
    demo.seed()
    count = FigureDefinition.objects.count()
    demo.seed()
    assert FigureDefinition.objects.count() == count
    year = timezone.localdate().year
    assert "分别计数" in definitions_for(year)["visits"].text_zh
    assert "分别计数" not in definitions_for(year - 1)["visits"].text_zh
    assert definitions_for(2020)["visits"].year == 2023  # before every edition: the first one
