from huifu.activities import demo
from huifu.activities.models import Activity, ActivityStatus, ActivityType
from huifu.budget.models import BudgetPool
from huifu.budget.services import pool_committed


def test_demo_seeds_every_state_idempotently(db):
    from huifu.accounts import demo as accounts_demo
    from huifu.directory import demo as directory_demo
    from huifu.workdays import demo as workdays_demo

    directory_demo.seed(scale=1, stdout=None)
    accounts_demo.seed(scale=1, stdout=None)
    workdays_demo.seed(scale=1, stdout=None)
    demo.seed(scale=1, stdout=None)
    demo.seed(scale=1, stdout=None)
    assert Activity.objects.count() == len(demo.ACTIVITIES) + len(demo.CAMPUS_ACTIVITIES) == 16
    # Campus activities name their university; every demo type has an English name.
    campus = Activity.objects.filter(activity_type__kind="campus")
    assert campus.count() == 3 and not campus.filter(university__isnull=True).exists()
    assert not ActivityType.objects.filter(name_en="").exists()
    assert set(Activity.objects.values_list("status", flat=True)) == set(ActivityStatus.values)
    pool = BudgetPool.objects.get()
    assert 0 < pool_committed(pool) < pool.amount
