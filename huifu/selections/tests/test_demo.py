import pytest

from huifu.selections.models import Award, Conflict, RunState, Selection

pytestmark = pytest.mark.django_db


def test_demo_runs_twice():
    from huifu.accounts import demo as accounts_demo
    from huifu.directory import demo as directory_demo
    from huifu.selections import demo

    directory_demo.seed(scale=1)
    accounts_demo.seed(scale=1)
    demo.seed(scale=1)
    demo.seed(scale=1)
    selection = Selection.objects.get(year=2023)
    assert selection.plan_notice is not None
    assert selection.categories.count() == 2
    assert Conflict.objects.exists()
    assert Award.objects.filter(run__state=RunState.PUBLISHED).count() >= 2
    assert all(a.commendation_ref for a in Award.objects.all())
    # every category has a winner in the demo (no tie at the quota boundary)
    assert {a.run.category.code for a in Award.objects.select_related("run__category")} == {"team", "metal"}
