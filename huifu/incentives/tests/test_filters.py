"""The incentive lists' filters are declared once (incentives/filters.py): the project and the
participation pages and their APIs give the same rows for the same parameters, a member never
reaches another company's participation through them, and a bad value is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows
from huifu.incentives import services
from huifu.incentives.tests.conftest import pdf_upload

pytestmark = pytest.mark.django_db

PROJECT_ROW = r'href="/incentives/projects/(\d+)/"'
PARTICIPATION_ROW = r'href="/incentives/participations/(\d+)/"'
PROJECTS = "/api/v1/incentives/projects/"
PARTICIPATIONS = "/api/v1/incentives/participations/"


@pytest.fixture
def rows(make_project, member_a_admin, member_b_admin, catalogue):
    functional = make_project()
    service = make_project(code="T-S01", name_zh="测试服务类项目", kind="service", service_line="tool_application")
    draft = make_project(code="T-F02", name_zh="草稿项目", open=False)

    def join(actor, project):
        return services.participation_submit(
            actor=actor, project=project, plan="服务产业链企业", products=[catalogue["cu"]], uploads=[pdf_upload()]
        )

    return {
        "functional": functional,
        "service": service,
        "draft": draft,
        "a": join(member_a_admin, functional),
        "a_service": join(member_a_admin, service),
        "b": join(member_b_admin, functional),
    }


@pytest.mark.parametrize("query", ["", "?kind=service", "?status=draft", "?year={year}&kind=functional", "?year=2001"])
def test_project_page_and_api_filter_the_same_way(client, rows, coordinator, query):
    login(client, coordinator)
    query = query.format(year=rows["functional"].year)
    found = assert_same_rows(
        client, page_url=reverse("incentives:project_list"), api_url=PROJECTS, query=query, pattern=PROJECT_ROW
    )
    if query == "?kind=service":
        assert found == {str(rows["service"].pk)}


@pytest.mark.parametrize("query", ["", "?project={functional}", "?status=submitted&project={service}"])
def test_participation_page_and_api_filter_the_same_way(client, rows, coordinator, query):
    login(client, coordinator)
    query = query.format(functional=rows["functional"].pk, service=rows["service"].pk)
    found = assert_same_rows(
        client,
        page_url=reverse("incentives:participation_list"),
        api_url=PARTICIPATIONS,
        query=query,
        pattern=PARTICIPATION_ROW,
    )
    if "project" in query:
        assert found and len(found) < 3


@pytest.mark.parametrize("query", ["", "?project={functional}", "?status=submitted"])
def test_a_member_never_reaches_another_companys_participation(client, rows, member_a_admin, query):
    login(client, member_a_admin)
    query = query.format(functional=rows["functional"].pk)
    found = assert_same_rows(
        client,
        page_url=reverse("incentives:participation_list"),
        api_url=PARTICIPATIONS,
        query=query,
        pattern=PARTICIPATION_ROW,
    )
    assert found and str(rows["b"].pk) not in found


@pytest.mark.parametrize(("field", "value"), [("year", "abc"), ("kind", "x"), ("status", "archived")])
def test_a_bad_project_filter_is_named(client, rows, coordinator, field, value):
    login(client, coordinator)
    assert_bad_value_named(
        client, page_url=reverse("incentives:project_list"), api_url=PROJECTS, field=field, value=value
    )


@pytest.mark.parametrize(("field", "value"), [("project", "abc"), ("project", "999999"), ("status", "x")])
def test_a_bad_participation_filter_is_named(client, rows, member_a_admin, field, value):
    login(client, member_a_admin)
    assert_bad_value_named(
        client, page_url=reverse("incentives:participation_list"), api_url=PARTICIPATIONS, field=field, value=value
    )
