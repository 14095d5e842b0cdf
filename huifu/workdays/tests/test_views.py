"""The calendar pages: what they show, their forms, and their query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.workdays import services
from huifu.workdays.models import CalendarYear, HolidayName, ScheduleStatus, SpecialDay, SpecialDayKind
from huifu.workdays.selectors import calendar_cache_clear

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]


@pytest.fixture
def member(client, member_a_contact):
    login(client, member_a_contact)
    return member_a_contact


@pytest.fixture
def editor(client, coordinator):
    login(client, coordinator)
    return coordinator


def _html(response):
    return response.content.decode()


def test_year_page_colours_holidays_and_makeup_days(client, member):
    html = _html(client.get(reverse("workdays:year", args=[2023])))
    assert html.count('class="wd-holiday') == SpecialDay.objects.filter(day__year=2023, kind="holiday").count()
    assert html.count('class="wd-makeup_workday') == 7
    assert 'title="2023-10-08 · ' in html
    assert "wd-legend" in html
    assert "chinesecalendar" in html
    assert "warning-box" not in html
    # The table of special days lists each of them.
    assert html.count("<td>2023-") == SpecialDay.objects.filter(day__year=2023).count()


def test_year_page_is_in_chinese_by_default(client, member):
    html = _html(client.get(reverse("workdays:year", args=[2024])))
    assert "春节" in html and "调休上班日" in html and "国庆节" in html


def test_unpublished_year_shows_a_warning_box(client, member):
    html = _html(client.get(reverse("workdays:year", args=[2030])))
    assert 'class="warning-box" role="alert"' in html
    assert "2030" in html
    assert 'class="wd-holiday' not in html


def test_calendar_without_year_shows_the_current_year(client, member):
    response = client.get(reverse("workdays:calendar"))
    assert response.context["year"] == dt.date.today().year or abs(response.context["year"] - dt.date.today().year) <= 1


@pytest.mark.parametrize("year", [1989, 2200])
def test_year_out_of_range_is_404(client, member, year):
    assert client.get(reverse("workdays:year", args=[year])).status_code == 404


def test_year_page_runs_a_constant_number_of_queries(client, member, coordinator):
    url = reverse("workdays:year", args=[2031])
    calendar_cache_clear()

    def grow():
        for day in range(1, 8):
            services.special_day_set(
                day=dt.date(2031, 10, day),
                kind=SpecialDayKind.HOLIDAY,
                holiday=HolidayName.NATIONAL_DAY,
                actor=coordinator,
            )
        services.special_day_set(
            day=dt.date(2031, 9, 28),
            kind=SpecialDayKind.MAKEUP_WORKDAY,
            holiday=HolidayName.NATIONAL_DAY,
            actor=coordinator,
        )

    assert_constant_queries(client, url, grow)
    assert _html(client.get(url)).count('class="wd-holiday') == 7


# --- calculator ---------------------------------------------------------------------------------


def test_calculator_gives_the_2023_10_08_answer(client, member):
    response = client.get(reverse("workdays:calculator"), {"start": "2023-09-28", "days": "2"})
    html = _html(response)
    assert response.context["result"]["date"] == dt.date(2023, 10, 8)
    assert "2023-10-08" in html and "warning-box" not in html


def test_calculator_warns_for_a_year_without_schedule(client, member):
    response = client.get(reverse("workdays:calculator"), {"start": "2030-09-30", "days": "2"})
    assert response.context["result"]["date"] == dt.date(2030, 10, 2)
    html = _html(response)
    assert 'class="warning-box" role="alert"' in html and "2030" in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2023-02-30", "days": "2"}, "start"),
        ({"start": "2023-09-28", "days": "100000"}, "days"),
        ({"start": "1900-01-01", "days": "1"}, "start"),
        ({"start": "2023-09-28", "days": "x"}, "days"),
    ],
)
def test_calculator_bad_input_is_shown_next_to_the_field(client, member, params, field):
    response = client.get(reverse("workdays:calculator"), params)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert field in response.context["form"].errors
    assert 'class="errorlist' in _html(response)


def test_calculator_without_input_shows_the_form(client, member):
    response = client.get(reverse("workdays:calculator"))
    assert response.status_code == 200 and response.context["result"] is None
    assert 'for="id_start"' in _html(response) and 'for="id_days"' in _html(response)


# --- editing ------------------------------------------------------------------------------------


def test_add_a_holiday_and_see_it_on_the_year_page(client, editor):
    response = client.post(
        reverse("workdays:special_day_add"),
        {"day": "2030-10-01", "kind": "holiday", "holiday": "national_day", "note": ""},
    )
    assert response.status_code == 302 and response["Location"] == reverse("workdays:year", args=[2030])
    assert SpecialDay.objects.get(day=dt.date(2030, 10, 1)).holiday == HolidayName.NATIONAL_DAY
    assert 'class="wd-holiday" title="2030-10-01' in _html(client.get(response["Location"]))


def test_add_prefills_the_date_from_the_query(client, editor):
    response = client.get(reverse("workdays:special_day_add"), {"day": "2030-05-01"})
    assert response.context["form"].initial["day"] == dt.date(2030, 5, 1)


def test_makeup_day_on_a_weekday_is_explained_next_to_the_date(client, editor):
    response = client.post(
        reverse("workdays:special_day_add"), {"day": "2030-10-08", "kind": "makeup_workday", "holiday": "national_day"}
    )
    assert response.status_code == 200
    assert "2030-10-08" in response.context["form"].errors["day"][0]
    assert not SpecialDay.objects.filter(day=dt.date(2030, 10, 8)).exists()


def test_conflicting_kind_is_explained_next_to_the_kind(client, editor):
    response = client.post(
        reverse("workdays:special_day_add"), {"day": "2023-10-07", "kind": "holiday", "holiday": "national_day"}
    )
    assert response.status_code == 200
    assert "2023-10-07" in response.context["form"].errors["kind"][0]
    assert SpecialDay.objects.get(day=dt.date(2023, 10, 7)).kind == SpecialDayKind.MAKEUP_WORKDAY


def test_missing_fields_are_reported(client, editor):
    response = client.post(reverse("workdays:special_day_add"), {"day": "", "kind": "", "holiday": "other"})
    assert set(response.context["form"].errors) >= {"day", "kind"}


def test_edit_keeps_the_date_and_changes_the_name(client, editor):
    url = reverse("workdays:special_day_edit", args=["2023-10-06"])
    assert response_ok(client.get(url))
    # The date field is fixed: a different date in the post is ignored.
    response = client.post(url, {"day": "2023-11-01", "kind": "holiday", "holiday": "mid_autumn_festival"})
    assert response.status_code == 302
    assert SpecialDay.objects.get(day=dt.date(2023, 10, 6)).holiday == HolidayName.MID_AUTUMN_FESTIVAL
    assert not SpecialDay.objects.filter(day=dt.date(2023, 11, 1)).exists()


def response_ok(response):
    return response.status_code == 200


@pytest.mark.parametrize("day", ["2023-03-15", "not-a-date", "2023-02-30", "1800-01-01"])
def test_edit_and_remove_of_a_non_special_or_bad_date_is_404(client, editor, day):
    assert client.get(reverse("workdays:special_day_edit", args=[day])).status_code == 404
    assert client.post(reverse("workdays:special_day_remove", args=[day])).status_code == 404


def test_remove_asks_first_then_removes(client, editor):
    url = reverse("workdays:special_day_remove", args=["2023-10-07"])
    assert "2023-10-07" in _html(client.get(url))
    assert SpecialDay.objects.filter(day=dt.date(2023, 10, 7)).exists()
    client.post(url)
    assert not SpecialDay.objects.filter(day=dt.date(2023, 10, 7)).exists()
    assert services.add_working_days(dt.date(2023, 9, 28), 2).date == dt.date(2023, 10, 9)


def test_publish_needs_a_source(client, editor):
    url = reverse("workdays:year_publish", args=[2030])
    response = client.post(url, {"source": "", "notes": ""})
    assert response.status_code == 200 and "source" in response.context["form"].errors
    assert not CalendarYear.objects.filter(year=2030).exists()
    response = client.post(url, {"source": "国办发明电〔2029〕1号", "notes": "已核对"})
    assert response.status_code == 302
    record = CalendarYear.objects.get(year=2030)
    assert (record.status, record.source, record.notes) == (ScheduleStatus.PUBLISHED, "国办发明电〔2029〕1号", "已核对")
    assert not services.add_working_days(dt.date(2030, 3, 1), 1).provisional


def test_unpublish_makes_the_year_provisional(client, editor):
    assert client.post(reverse("workdays:year_unpublish", args=[2026])).status_code == 302
    assert services.add_working_days(dt.date(2026, 3, 2), 1).provisional
    assert client.get(reverse("workdays:year_unpublish", args=[2026])).status_code == 405


def test_import_page_explains_and_imports(client, editor):
    services.special_day_remove(day=dt.date(2025, 10, 11), actor=editor)
    url = reverse("workdays:year_import", args=[2025])
    response = client.get(url)
    assert "chinesecalendar" in _html(response)
    assert (response.context["holiday_count"], response.context["makeup_count"]) == (28, 5)
    assert response.context["current_count"] == 32  # one of the 33 removed
    assert client.post(url).status_code == 302
    assert services.day_info(dt.date(2025, 10, 11)).is_working_day


def test_import_of_an_unknown_year_is_refused_with_the_reason(client, editor):
    url = reverse("workdays:year_import", args=[2099])
    assert 'class="warning-box"' in _html(client.get(url))
    response = client.post(url)
    assert response.status_code == 400
    assert "2099" in response.context["error"]
    assert not CalendarYear.objects.filter(year=2099).exists()


def test_pages_in_english(client, member):
    with translation.override("en"):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        html = _html(client.get(reverse("workdays:year", args=[2024])))
    assert "Spring Festival" in html and "Make-up working day" in html
