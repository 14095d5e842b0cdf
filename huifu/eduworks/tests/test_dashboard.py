"""The base dashboard's figures equal a hand count of the fixtures; the export carries them."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huifu.core.testing.auth import login
from huifu.core.testing.factories import UserFactory
from huifu.eduworks import services
from huifu.eduworks.dashboard import DEFINITIONS, base_dashboard
from huifu.eduworks.models import BaseKind, Channel
from huifu.events.models import CheckIn, Registration, RegistrationState, Series, SeriesKind, Session, SurveyResponse

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1  # a whole past year: every month may hold figures


def _session(series, month: int) -> Session:
    return Session.objects.create(
        series=series,
        title=f"{month}月月谈",
        date=datetime.date(YEAR, month, 15),
        mode="on_site",
        capacity=50,
        topic_type="market_outlook",
        state="published",
        published_at=timezone.now(),
    )


def _attend(session, *, came: bool, rating: int | None = None, state=RegistrationState.CONFIRMED) -> None:
    person = UserFactory()
    reg = Registration.objects.create(session=session, person=person, registered_by=person, state=state)
    if came:
        CheckIn.objects.create(registration=reg, checked_in_at=timezone.now(), desk="A")
    if rating is not None:
        SurveyResponse.objects.create(
            registration=reg,
            overall=rating,
            content=rating,
            speaker=rating,
            organisation=rating,
            submitted_at=timezone.now(),
        )


@pytest.fixture
def figures(make_work, coordinator, cu, rb):
    series = Series.objects.create(year=YEAR, kind=SeriesKind.MONTHLY_TALK, title_zh="月月谈")
    march, june = _session(series, 3), _session(series, 6)
    # March: 3 came (ratings 5, 4, 2), 1 registered but did not come, 1 cancelled who "came" (not counted)
    _attend(march, came=True, rating=5)
    _attend(march, came=True, rating=4)
    _attend(march, came=True, rating=2)
    _attend(march, came=False)
    _attend(march, came=True, state=RegistrationState.CANCELLED)
    # June: 2 came, no survey
    _attend(june, came=True)
    _attend(june, came=True)
    # Base figures: March physical 100/120 with 10 surveyed 9 satisfied; March online 1000/1500; June physical 50/60
    services.base_figure_record(
        actor=coordinator,
        month=datetime.date(YEAR, 3, 1),
        base=BaseKind.PHYSICAL,
        visitors=100,
        visits=120,
        surveyed=10,
        satisfied=9,
    )
    services.base_figure_record(
        actor=coordinator, month=datetime.date(YEAR, 3, 1), base=BaseKind.ONLINE, visitors=1000, visits=1500
    )
    services.base_figure_record(
        actor=coordinator, month=datetime.date(YEAR, 6, 1), base=BaseKind.PHYSICAL, visitors=50, visits=60
    )
    # Works: published in March (comic) and in June (course, later withdrawn), one approved never published,
    # and one published this year (not in YEAR but counted as a product now)
    comic = make_work(state="published", title="漫画", published_on=datetime.date(YEAR, 3, 9))
    make_work(state="withdrawn", title="微课", kind="course", published_on=datetime.date(YEAR, 6, 2))
    make_work(state="approved", title="游戏", kind="game")
    make_work(state="published", title="视频", kind="video", published_on=timezone.localdate())
    services.reach_record(
        actor=coordinator, work=comic, month=datetime.date(YEAR, 3, 1), channel=Channel.WECHAT, views=700, plays=0
    )
    services.reach_record(
        actor=coordinator, work=comic, month=datetime.date(YEAR, 3, 1), channel=Channel.APP, views=300, plays=40
    )


def test_figures_equal_a_hand_count(figures):
    data = base_dashboard(year=YEAR)
    march, june, may = data.months[2], data.months[5], data.months[4]
    assert (march.physical_visitors, march.physical_visits, march.online_visitors, march.online_visits) == (
        100,
        120,
        1000,
        1500,
    )
    assert (march.visitors, march.visits) == (1100, 1620)
    assert (june.visitors, june.visits) == (50, 60)
    assert (march.attendance, june.attendance, may.attendance) == (3, 2, 0)
    assert (march.published, june.published) == (1, 1)
    assert data.totals["published"] == 2
    assert (march.views, march.plays) == (1000, 40)
    # satisfaction in March: events 2 of 3 satisfied (5 and 4) + base 9 of 10 = 11 of 13 = 84.6 %
    assert (march.answers, march.satisfied, march.satisfaction) == (13, 11, Decimal("84.6"))
    assert june.satisfaction is None
    assert data.satisfaction == Decimal("84.6")
    products = dict(data.products_by_kind)
    assert data.products_total == 2  # the comic and the video are in publication; withdrawn and approved are not
    assert sum(products.values()) == 2


def test_page_shows_definitions_as_of_and_export(client, figures, coordinator):
    login(client, coordinator)
    r = client.get(reverse("eduworks:dashboard"), {"year": YEAR})
    body = r.content.decode()
    assert r.status_code == 200 and "<svg" in body and 'data-testid="as-of"' in body
    for text in DEFINITIONS.values():
        assert str(text)[:12] in body
    assert 'data-testid="satisfaction-year">84.6%' in body
    r = client.get(reverse("eduworks:dashboard_export"), {"year": YEAR})
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    march = next(row for row in rows if row[0] == f"{YEAR}-03")
    assert march[1:7] == (100, 120, 1000, 1500, 3, 1)
    assert march[-1] == pytest.approx(84.6)


def test_base_figure_form_messages(client, coordinator):
    login(client, coordinator)
    url = reverse("eduworks:base_figure_add")
    data = {
        "month": f"{YEAR}-02",
        "base": "physical",
        "visitors": "10",
        "visits": "12",
        "surveyed": "0",
        "satisfied": "0",
    }
    assert client.post(url, data).status_code == 302
    r = client.post(url, data)
    assert r.status_code == 400 and "month" in r.context["form"].errors
    r = client.post(url, {**data, "base": "online", "visitors": "-1"})
    assert r.status_code == 400 and "visitors" in r.context["form"].errors
