import importlib

import pytest

from huifu.awards.models import Evaluation, EvaluationState, Objection, PublishedList, SchemeVersion, Winner

APPS = ["directory", "accounts", "workdays", "awards"]


def _seed():
    for app in APPS:
        importlib.import_module(f"huifu.{app}.demo").seed(scale=1, stdout=None)


@pytest.mark.django_db
def test_demo_finishes_both_awards_and_runs_twice():
    _seed()
    rating = Evaluation.objects.get(programme__code="member-rating", year=2023)
    ine = Evaluation.objects.get(programme__code="ine-overseas-broker", year=2024)
    assert rating.state == EvaluationState.FINAL and ine.state == EvaluationState.FINAL
    assert list(rating.published_lists.order_by("published_at").values_list("label", flat=True)) == ["v1", "v1.1"]
    assert Objection.objects.get(evaluation=rating).state == "upheld"
    assert SchemeVersion.objects.get(programme__code="member-rating", year=2024).based_on == rating.scheme
    counts = (Winner.objects.count(), PublishedList.objects.count(), SchemeVersion.objects.count())
    assert counts[0] >= 4
    _seed()
    assert (Winner.objects.count(), PublishedList.objects.count(), SchemeVersion.objects.count()) == counts
