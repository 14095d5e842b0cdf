from huifu.credits import demo, services
from huifu.credits.models import ExternalClaim, SessionCredit


def test_demo_grants_hours_and_gives_the_demo_practitioner_some(db):
    from huifu.accounts import demo as accounts_demo
    from huifu.accounts.models import User
    from huifu.directory import demo as directory_demo
    from huifu.events import demo as events_demo
    from huifu.products import demo as products_demo

    directory_demo.seed(scale=1, stdout=None)
    accounts_demo.seed(scale=1, stdout=None)
    products_demo.seed(scale=1, stdout=None)
    events_demo.seed(scale=1, stdout=None)
    demo.seed(scale=1, stdout=None)
    demo.seed(scale=1, stdout=None)
    assert SessionCredit.objects.count() == 14
    assert ExternalClaim.objects.count() == 2
    person = User.objects.get(email=demo.DEMO_PRACTITIONER)
    standing = services.hours_for(person, services.current_window(person))
    assert standing.total > 0
