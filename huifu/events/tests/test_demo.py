import datetime

from huifu.events import demo
from huifu.events.models import Series, Session, SessionState


def test_demo_seeds_a_year_with_a_gap_idempotently(db):
    from huifu.accounts import demo as accounts_demo
    from huifu.directory import demo as directory_demo
    from huifu.products import demo as products_demo

    directory_demo.seed(scale=1, stdout=None)
    accounts_demo.seed(scale=1, stdout=None)
    products_demo.seed(scale=1, stdout=None)
    demo.seed(scale=1, stdout=None)
    demo.seed(scale=1, stdout=None)
    assert Series.objects.count() == 2
    assert Session.objects.count() == 14
    talks = Session.objects.filter(series__kind="monthly_talk")
    assert 2 not in {s.date.month for s in talks}
    assert Session.objects.filter(state=SessionState.PUBLISHED).count() >= 13
    assert all(s.date.year == datetime.date.today().year for s in talks)
