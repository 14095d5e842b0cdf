"""In real Chromium, in Chinese, at 1366 and 390 px: a university's contact enrols students in
its joint course (a student given twice is refused next to the field, nothing saved), reads its
MOU with the obligations per year and the coverage with definitions; a member company sees only
its own interns; the coordinator sees the MOU list with the renewal due. Screenshots:
universities-*.png."""

from __future__ import annotations

import datetime

import pytest

from huifu.accounts.system import system_actor
from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.universities import services
from huifu.universities.models import CourseEnrolment

from .conftest import make_course, make_mou

pytestmark = pytest.mark.browser
D = datetime.date


def test_university_member_and_staff_pages(
    chromium_available,
    live_server,
    official_calendar,
    uni_a,
    uni_b,
    uni_a_admin,
    member_a_contact,
    org_a,
    org_b,
    coordinator,
    dept_business,
    password,
):
    today = datetime.date.today()
    mou = make_mou(
        uni_a, start=D(today.year - 1, 9, 1), end=today + datetime.timedelta(days=20), remind_working_days=20
    )
    other = make_mou(uni_b, start=D(today.year - 1, 9, 1), end=D(today.year + 2, 8, 31))
    course = make_course(
        mou, start=max(mou.starts_on, D(today.year, 2, 24)), end=min(mou.ends_on, today), title="期货与衍生品市场"
    )
    services.course_enrol(
        actor=system_actor(),
        course=course,
        rows=[{"student_number": "2023110001", "name": "王子涵", "major": "金融学", "grade": "2023级"}],
    )
    for m, host, number, name in ((mou, org_a, "2023110009", "李欣怡"), (other, org_b, "FD2023001", "复旦学生")):
        services.internship_create(
            actor=system_actor(),
            mou=m,
            student={"student_number": number, "name": name, "major": "金融工程", "grade": "2023级"},
            starts_on=max(m.starts_on, today - datetime.timedelta(days=40)),
            ends_on=today - datetime.timedelta(days=1),
            host_company=host,
        )
    secret = ensure_totp(coordinator)
    base = live_server.url
    for width, height in ((1366, 900), (390, 844)):
        with open_browser(width=width, height=height) as page:
            browser_login(page, base, uni_a_admin.email, password)
            page.goto(f"{base}/universities/courses/{course.pk}/")
            page.get_by_label("学生").fill(f"2023{width}02，赵浩然，经济学，2023级\n2023{width}03，钱雨桐")
            screenshot(page, f"universities-enrol-{width}")
            with page.expect_navigation():
                page.get_by_role("button", name="录入").click()
            assert "名选课学生" in page.content()
            page.get_by_label("学生").fill(f"2023{width}99\n2023110001")
            with page.expect_navigation():
                page.get_by_role("button", name="录入").click()
            assert "已选过本课程" in page.content()
            screenshot(page, f"universities-enrol-error-{width}")
            page.goto(f"{base}/universities/mous/{mou.pk}/")
            page.wait_for_selector("[data-testid=obligations]")
            assert "复旦大学" not in page.content()
            screenshot(page, f"universities-mou-{width}")
            page.goto(f"{base}/universities/coverage/?year={today.year}")
            page.wait_for_selector("[data-testid=coverage]")
            assert "覆盖学生数（去重）" in page.content()
            screenshot(page, f"universities-coverage-{width}")
        with open_browser(width=width, height=height) as page:
            browser_login(page, base, member_a_contact.email, password)
            page.goto(f"{base}/universities/internships/")
            page.wait_for_load_state()
            assert "李欣怡" in page.content()
            assert "复旦学生" not in page.content()
            screenshot(page, f"universities-member-interns-{width}")
    with open_browser(width=1366, height=900) as page:
        browser_login(page, base, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{base}/universities/")
        page.wait_for_load_state()
        assert "待续签" in page.content()
        screenshot(page, "universities-staff-mous-1366")
    numbers = set(CourseEnrolment.objects.filter(course=course).values_list("student__student_number", flat=True))
    assert {"2023136602", "202339002"} <= numbers and "2023136699" not in numbers
