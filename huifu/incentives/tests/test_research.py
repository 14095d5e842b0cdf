"""University research projects (课题研究) on the incentive flow: apply → review → track → accept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from huifu.accounts.models import OrgRole
from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory, org_user
from huifu.directory.models import OrganisationKind
from huifu.incentives import selectors, services
from huifu.incentives.models import Participation, Project
from huifu.incentives.research import delivered_research_topics
from huifu.incentives.services import IncentiveStateError

from .conftest import pdf_upload


@pytest.fixture
def uni_a(db):
    return OrganisationFactory(
        kind=OrganisationKind.UNIVERSITY, name_zh="甲大学", name_en="A University", member_number=None
    )


@pytest.fixture
def uni_b(db):
    return OrganisationFactory(
        kind=OrganisationKind.UNIVERSITY, name_zh="乙大学", name_en="B University", member_number=None
    )


@pytest.fixture
def uni_a_user(uni_a):
    return org_user(uni_a, OrgRole.ADMIN, email="research@a-uni.example", full_name="甲老师")


@pytest.fixture
def uni_b_user(uni_b):
    return org_user(uni_b, OrgRole.ADMIN, email="research@b-uni.example", full_name="乙老师")


@pytest.fixture
def research_project(make_project):
    return make_project(code="T-R01", name_zh="期货市场课题研究", kind="research", products=(), rules=False)


@pytest.fixture
def research_app(research_project, uni_a_user):
    return services.participation_submit(
        actor=uni_a_user,
        project=research_project,
        topic="铜期货价格发现功能实证研究",
        plan="一年内完成研究报告并在校内开设专题讲座",
        uploads=[pdf_upload("课题申报书.pdf")],
    )


def test_research_flow_end_to_end(research_project, research_app, uni_a_user, dept_staff):
    year = research_project.year
    assert research_project.open_to_members is False
    assert research_project.eligible_org_kinds() == {"university"}
    assert research_app.topic == "铜期货价格发现功能实证研究"
    assert delivered_research_topics(research_app.organisation_id, year) == 0  # awaiting review
    p = services.participation_review(actor=dept_staff, participation=research_app, approve=True, comment="同意立项")
    assert p.status == "tracking"
    assert delivered_research_topics(p.organisation_id, year) == 1  # in progress
    services.participation_report(actor=uni_a_user, participation=p, text="完成文献综述")
    p = services.participation_submit_results(actor=uni_a_user, participation=p, text="研究报告终稿")
    p = services.participation_accept(actor=dept_staff, participation=p, result="accepted", notes="通过验收")
    assert p.status == "accepted"
    assert p.award_amount is None
    assert delivered_research_topics(p.organisation_id, year) == 1
    assert delivered_research_topics(p.organisation_id, year + 1) == 0
    # A research topic never earns a fee reduction.
    assert not selectors.participations_for_settlement(year=year).filter(pk=p.pk).exists()


def test_research_denied_transitions(research_app, uni_a_user, uni_b_user, dept_staff, member_a_admin):
    # Results before approval: illegal.
    with pytest.raises(IncentiveStateError):
        services.participation_submit_results(actor=uni_a_user, participation=research_app, text="x")
    # Another university or a member may not report on it; the university may not decide.
    for outsider in (uni_b_user, member_a_admin):
        with pytest.raises(PermissionDenied):
            services.participation_report(actor=outsider, participation=research_app, text="x")
    with pytest.raises(PermissionDenied):
        services.participation_review(actor=uni_a_user, participation=research_app, approve=True)
    p = services.participation_review(actor=dept_staff, participation=research_app, approve=True)
    with pytest.raises(IncentiveStateError):
        services.participation_accept(actor=dept_staff, participation=p, result="accepted")


def test_research_bad_input(research_project, uni_a_user, member_a_admin, catalogue):
    with pytest.raises(ValidationError) as exc:
        services.participation_submit(actor=uni_a_user, project=research_project, topic="", plan="计划")
    assert "topic" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.participation_submit(
            actor=uni_a_user, project=research_project, topic="题目", plan="计划", products=[catalogue["cu"]]
        )
    assert "products" in exc.value.message_dict
    # A member may not apply for a research call.
    with pytest.raises(PermissionDenied):
        services.participation_submit(actor=member_a_admin, project=research_project, topic="题目", plan="计划")


def test_universities_isolated(research_app, research_project, uni_a_user, uni_b_user, member_a_admin, project):
    assert list(selectors.participation_list(user=uni_a_user)) == [research_app]
    assert list(selectors.participation_list(user=uni_b_user)) == []
    assert list(selectors.participation_list(user=member_a_admin)) == []
    with pytest.raises(Http404):
        selectors.participation_get(user=uni_b_user, participation_id=research_app.pk)
    with pytest.raises(Http404):
        selectors.participation_get(user=member_a_admin, participation_id=research_app.pk)
    # Universities see research calls only; members never see research calls.
    assert list(selectors.project_list(user=uni_a_user)) == [research_project]
    assert research_project not in selectors.project_list(user=member_a_admin)
    assert project in selectors.project_list(user=member_a_admin)
    assert not uni_b_user.has_perm("incentives.view_participation", research_app)
    assert uni_a_user.has_perm("incentives.view_participation", research_app)
    assert uni_a_user.has_perm("incentives.apply_project", research_project)
    assert not uni_a_user.has_perm("incentives.apply_project", project)


# --- pages, API and files ------------------------------------------------------------------------


def test_university_applies_on_the_page(client, research_project, uni_a_user):
    login(client, uni_a_user)
    url = reverse("incentives:participation_apply", args=[research_project.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="topic"' in page.content.decode()
    # Bad input: no topic — a clear message, nothing saved.
    r = client.post(url, {"plan": "计划"})
    assert r.status_code == 200 and not Participation.objects.exists()
    r = client.post(url, {"topic": "期货市场与乡村振兴", "plan": "一年完成", "files": pdf_upload("申报书.pdf")})
    assert r.status_code == 302, r.content.decode()
    p = Participation.objects.get()
    assert p.topic == "期货市场与乡村振兴" and p.organisation == uni_a_user.organisation
    detail = client.get(p.get_absolute_url()).content.decode()
    assert "期货市场与乡村振兴" in detail


def test_university_b_never_sees_university_a(client, research_app, uni_b_user, member_a_admin, uni_a_user):
    attachment = research_app.attachments.get()
    download = reverse("files:download", args=[attachment.file.pk])
    login(client, uni_a_user)
    assert client.get(research_app.get_absolute_url()).status_code == 200
    assert client.get(download).status_code == 200
    assert client.get(f"/api/v1/incentives/participations/{research_app.pk}/").status_code == 200
    for outsider in (uni_b_user, member_a_admin):
        login(client, outsider)
        assert client.get(research_app.get_absolute_url()).status_code == 404
        assert client.get(download).status_code in (403, 404)
        assert client.get(f"/api/v1/incentives/participations/{research_app.pk}/").status_code == 404
        listing = client.get(reverse("incentives:participation_list")).content.decode()
        assert research_app.topic not in listing
        api_list = client.get("/api/v1/incentives/participations/").json()
        assert all(row["id"] != research_app.pk for row in api_list["results"])
        r = client.post(reverse("incentives:participation_report", args=[research_app.pk]), {"report-text": "x"})
        assert r.status_code in (403, 404)
    # A member does not even see the research call.
    login(client, member_a_admin)
    assert client.get(research_app.project.get_absolute_url()).status_code == 404


def test_research_via_api(client, research_project, uni_a_user, uni_b_user, dept_staff):
    login(client, uni_a_user)
    r = client.post(
        "/api/v1/incentives/participations/",
        {"project": research_project.pk, "plan": "API 计划"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "topic" in r.content.decode()
    assert not Participation.objects.exists()
    r = client.post(
        "/api/v1/incentives/participations/",
        {"project": research_project.pk, "plan": "API 计划", "topic": "期权定价课题"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["topic"] == "期权定价课题" and body["products"] == []
    login(client, uni_b_user)
    assert client.get("/api/v1/incentives/participations/").json()["count"] == 0
    login(client, dept_staff)
    r = client.post(
        f"/api/v1/incentives/participations/{body['id']}/review/", {"approve": True}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "tracking"


def test_research_list_constant_queries(client, research_project, dept_staff, make_project):
    login(client, dept_staff)
    n = iter(range(100))

    def grow():
        for _ in range(3):
            i = next(n)
            uni = OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name_zh=f"大学{i}", member_number=None)
            user = org_user(uni, OrgRole.ADMIN, email=f"u{i}@uni.example")
            services.participation_submit(actor=user, project=research_project, topic=f"课题{i}", plan="计划")

    grow()  # a page with rows first: an empty page runs no row query at all
    assert_constant_queries(client, reverse("incentives:participation_list"), grow)


def test_coordinator_opens_a_research_call_on_the_page(client, coordinator, dept_business, period, catalogue):
    login(client, coordinator)
    data = {
        "year": period[0].year,
        "code": "T-R09",
        "name_zh": "期货与衍生品教学案例研究",
        "kind": "research",
        "entry_mode": "apply",
        "open_to_members": "on",
        "review_working_days": 10,
        "acceptance_working_days": 15,
        "closing_working_days": 10,
        "department": dept_business.pk,
        "period_start": period[0].isoformat(),
        "period_end": period[1].isoformat(),
    }
    # Products on a research call: refused, nothing saved.
    r = client.post(reverse("incentives:project_create"), {**data, "products": [catalogue["cu"].pk]})
    assert r.status_code == 200 and not Project.objects.filter(code="T-R09").exists()
    r = client.post(reverse("incentives:project_create"), data)
    assert r.status_code == 302, r.content.decode()
    project = Project.objects.get(code="T-R09")
    assert project.kind == "research" and not project.open_to_members
    services.project_set_status(actor=coordinator, project=project, status="open")
    assert client.get(project.get_absolute_url()).status_code == 200
