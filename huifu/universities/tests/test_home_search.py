"""Home card and global search: through the list selectors, so universities never see each
other's MOUs, courses or students."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from huifu.accounts.system import system_actor
from huifu.core.testing.auth import login
from huifu.universities import figures, services
from huifu.universities.selectors import mou_list

from .conftest import make_course, make_mou

pytestmark = pytest.mark.django_db
D = datetime.date


def test_to_renew_and_behind(official_calendar, uni_a, uni_b, coordinator, uni_b_user):
    ending = make_mou(uni_a, start=D(2024, 1, 1), end=D(2025, 10, 10), remind_working_days=3)
    make_mou(uni_b, start=D(2025, 1, 1), end=D(2027, 12, 31))
    today = D(2025, 9, 30)
    assert figures.mous_to_renew(mou_list(user=coordinator), today=today) == [ending.pk]
    assert figures.mous_to_renew(mou_list(user=uni_b_user), today=today) == []
    assert len(figures.mous_behind(mou_list(user=coordinator), today=today)) == 2
    assert len(figures.mous_behind(mou_list(user=uni_b_user), today=today)) == 1


def test_home_card_for_a_university(client, uni_a_user, mou_a, mou_b):
    login(client, uni_a_user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "?show=behind" in page


def test_search_finds_own_only(client, uni_a_user, uni_b_user, mou_a, mou_b):
    course = make_course(mou_a, title="期货投资实务")
    services.course_enrol(actor=system_actor(), course=course, rows=[{"student_number": "2023999", "name": "钱同学"}])
    login(client, uni_a_user)
    page = client.get(reverse("search:results"), {"q": "期货投资"}).content.decode()
    assert "期货投资实务" in page
    page = client.get(reverse("search:results"), {"q": "钱同学"}).content.decode()
    assert "2023999" in page
    login(client, uni_b_user)
    page = client.get(reverse("search:results"), {"q": "期货投资"}).content.decode()
    assert "期货投资实务" not in page
    page = client.get(reverse("search:results"), {"q": "钱同学"}).content.decode()
    assert "2023999" not in page
    page = client.get(reverse("search:results"), {"q": "上海财经"}).content.decode()
    assert mou_a.title not in page
