"""A hand-made year (2025) across every programme, small enough to count by hand. The expected
figures are written next to the tests (test_figures.py), each with the reasoning."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

# The awards and selections apps' own fixtures, built through their services (test_awards.py).
from huifu.awards.tests.conftest import coordinator_2, rating, rating_2023, trade  # noqa: F401
from huifu.core.testing.factories import OrganisationFactory, org_user
from huifu.directory.models import OrganisationKind
from huifu.directory.regions import Region
from huifu.selections.tests.conftest import (  # noqa: F401
    confirmed,
    judge_chair,
    judge_expert,
    judge_staff,
    manager,
    selection,
    team_category,
)
from huifu.selections.tests.test_flow import scored  # noqa: F401
from huifu.workdays.engine import CHINA_TZ

YEAR = 2025


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, tzinfo=CHINA_TZ)


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    """Figures are computed on each request in the tests (the cache has its own test)."""
    from huifu.dashboards import figures

    monkeypatch.setattr(figures, "CACHE_SECONDS", 0)
    cache.clear()


def _feedback(o, people):
    from huifu.servicedesk.models import FeedbackForm, FeedbackItem, Reply, Satisfaction, Topic
    from huifu.servicedesk.services.common import ITEM_KIND
    from huifu.tracking.models import TrackedItem

    delivery = Topic.objects.create(name="交割")
    fees = Topic.objects.create(name="费用")
    ct = ContentType.objects.get_for_model(FeedbackItem)

    serials = iter(range(1, 100))

    def form(org, received, status):
        return FeedbackForm.objects.create(
            organisation=org,
            year=received.year,
            serial=next(serials),
            status=status,
            received_at=received,
            form_date=received.date(),
            contact_name="联系人",
            phone="021-12345678",
            email="c@example.com",
        )

    def item(form_, number, status, depts=(), topics=(), on_time=None):
        it = FeedbackItem.objects.create(
            form=form_, kind="suggestion", number=number, text="建议", status=status, organisation=form_.organisation
        )
        it.departments.set(depts)
        it.topics.set(topics)
        if on_time is not None:
            TrackedItem.objects.create(
                kind=ITEM_KIND,
                title="反馈",
                target_type=ct,
                target_id=str(it.pk),
                received_at=form_.received_at,
                deadline_rule="working_days",
                deadline_amount=5,
                due_at=form_.received_at + datetime.timedelta(days=7),
                on_time=on_time,
            )
        return it

    a1 = form(o.a, at(3, 10), "replied")
    item(a1, 1, "replied", [o.business], [delivery], on_time=True)
    item(a1, 2, "assigned", [o.business, o.msc])
    a2 = form(o.a, at(5, 2), "submitted")
    item(a2, 1, "open", [], [fees])
    b1 = form(o.b, at(3, 20), "replied")
    item(b1, 1, "replied", [o.msc], [delivery], on_time=False)
    draft = FeedbackForm.objects.create(organisation=o.b, year=YEAR, status="draft")
    item(draft, 1, "open", [o.msc])
    last_year = form(o.a, datetime.datetime(2024, 12, 31, 23, tzinfo=CHINA_TZ), "submitted")
    item(last_year, 1, "open", [o.business])
    for f, dept, stars in ((a1, o.business, 5), (b1, o.msc, 3)):
        reply = Reply.objects.create(
            form=f,
            text="答复",
            drafted_by=people.coordinator,
            status="sent",
            sent_at=f.received_at + datetime.timedelta(days=3),
            approved_by=people.coordinator,
            department=dept,
        )
        Satisfaction.objects.create(reply=reply, rating=stars, by=people.coordinator)


def _visits(o):
    from huifu.visits.models import VisitRequest

    for org, received, status in ((o.a, at(4, 1), "held"), (o.a, at(4, 15), "cancelled"), (o.b, at(6, 1), "requested")):
        VisitRequest.objects.create(
            organisation=org,
            contact_name="联系人",
            contact_email="c@example.com",
            purpose="交流",
            proposed_dates="下周",
            visitors="2人",
            received_at=received,
            status=status,
            starts_at=received + datetime.timedelta(days=5) if status == "held" else None,
            ends_at=received + datetime.timedelta(days=5, hours=2) if status == "held" else None,
            place="会议室" if status == "held" else "",
            arranged_at=received + datetime.timedelta(days=1) if status == "held" else None,
            cancelled_at=received + datetime.timedelta(days=2) if status == "cancelled" else None,
        )


def _activities(o, people):
    from huifu.activities.models import Activity, ActivityType
    from huifu.budget.models import Allocation, BudgetPool, Payment

    forum = ActivityType.objects.create(year=YEAR, kind="forum", name="论坛", cap_per_activity=Decimal("50000"))
    salon = ActivityType.objects.create(year=YEAR, kind="salon", name="沙龙", cap_per_activity=Decimal("20000"))

    def activity(org, kind, submitted, status, approved=None):
        return Activity.objects.create(
            approved_amount=approved,
            rejection_reason="不符合条件" if status == "rejected" else "",
            organisation=org,
            applicant=people.a_admin if org == o.a else people.b_admin,
            activity_type=kind,
            title="活动",
            starts_on=datetime.date(YEAR, 8, 1),
            ends_on=datetime.date(YEAR, 8, 1),
            status=status,
            submitted_at=submitted,
        )

    act1 = activity(o.a, forum, at(2, 10), "paid", Decimal("30000"))
    act2 = activity(o.a, salon, at(2, 20), "approved", Decimal("20000"))
    act3 = activity(o.b, forum, at(7, 1), "rejected")
    Activity.objects.create(
        organisation=o.a,
        applicant=people.a_admin,
        activity_type=forum,
        title="草稿",
        starts_on=datetime.date(YEAR, 9, 1),
        ends_on=datetime.date(YEAR, 9, 1),
    )
    pool = BudgetPool.objects.create(year=YEAR, name="市场活动预算", amount=Decimal("100000"), department=o.business)
    ct = ContentType.objects.get_for_model(Activity)

    def allocation(act, amount, status="active"):
        return Allocation.objects.create(
            pool=pool,
            target_type=ct,
            target_id=str(act.pk),
            title=act.title,
            organisation=act.organisation,
            requested_amount=amount,
            approved_amount=amount,
            approved_at=at(2, 25),
            approved_by=people.coordinator,
            status=status,
            released_at=at(8, 1) if status == "released" else None,
        )

    paid = allocation(act1, Decimal("30000"))
    allocation(act2, Decimal("20000"))
    allocation(act3, Decimal("10000"), status="released")
    Payment.objects.create(
        allocation=paid,
        payee_name="甲期货",
        bank_name="银行",
        bank_account="123",
        amount=Decimal("30000"),
        paid_on=datetime.date(YEAR, 9, 1),
        reference="R1",
        recorded_by=people.coordinator,
    )


def _incentives(o, people):
    from huifu.incentives.models import Participation, Project
    from huifu.products.models import Product
    from huifu.settlements.models import SettlementLine, SettlementRun, SettlementStatement

    # get_or_create: a live-server test earlier in the run flushed the catalogue the migration seeded.
    cu, _ = Product.objects.get_or_create(code="cu", defaults={"name_zh": "铜", "name_en": "Copper", "fee_per_lot": 1})
    al, _ = Product.objects.get_or_create(
        code="al", defaults={"name_zh": "铝", "name_en": "Aluminium", "fee_per_lot": 1}
    )
    project = Project.objects.create(
        year=YEAR,
        code="2025-F01",
        name_zh="铜铝功能项目",
        kind="functional",
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
        department=o.business,
        status="open",
    )
    part_a = Participation.objects.create(
        project=project,
        organisation=o.a,
        entry_mode="apply",
        plan="方案",
        submitted_by=people.a_admin,
        submitted_at=at(1, 10),
        status="tracking",
        joined_on=datetime.date(YEAR, 1, 15),
        effective_from=datetime.date(YEAR, 1, 15),
        effective_to=datetime.date(YEAR, 12, 31),
    )
    part_b = Participation.objects.create(
        project=project,
        organisation=o.b,
        entry_mode="apply",
        plan="方案",
        submitted_by=people.b_admin,
        submitted_at=at(1, 12),
        status="submitted",
    )
    for status, lines in (
        ("approved", ((o.a, part_a, cu, "1000.00"), (o.a, part_a, al, "500.00"), (o.b, part_b, cu, "300.00"))),
        ("cancelled", ((o.a, part_a, cu, "9999.00"),)),
    ):
        run = SettlementRun.objects.create(
            project=project,
            period_start=datetime.date(YEAR, 1, 1),
            period_end=datetime.date(YEAR, 3, 31),
            created_by=people.coordinator,
            status=status,
            computed_at=at(4, 1),
            computed_by=people.coordinator,
            reviewed_at=at(4, 2) if status == "approved" else None,
            reviewed_by=people.b_admin if status == "approved" else None,
            approved_at=at(4, 3) if status == "approved" else None,
            approved_by=people.coordinator if status == "approved" else None,
        )
        statements = {}
        for n, (org, part, product, amount) in enumerate(lines, start=1):
            if org not in statements:
                statements[org] = SettlementStatement.objects.create(
                    run=run, organisation=org, total_amount=0, amount_before_caps=0
                )
            SettlementLine.objects.create(
                statement=statements[org],
                participation=part,
                kind="product",
                product=product,
                position=n,
                amount=Decimal(amount),
                amount_before_caps=Decimal(amount),
            )


def _deepening(o):
    from huifu.deepening.models import DeepeningPlan, EnterpriseProfile, PlanEnterprise

    e1 = OrganisationFactory(
        kind=OrganisationKind.ENTERPRISE, name_zh="上海铜业有限公司", member_number=None, region=Region.SHANGHAI
    )
    p1 = EnterpriseProfile.objects.create(member=o.a, enterprise=e1, industry="有色", situation="trading")
    p2 = EnterpriseProfile.objects.create(
        member=o.a, pending_name="江西新材料", pending_region=Region.JIANGXI, industry="有色", situation="willing"
    )
    p3 = EnterpriseProfile.objects.create(
        member=o.b, enterprise=e1, industry="有色", situation="obstacle", obstacle_description="缺少人员"
    )

    def plan(member, status, submitted, entries, amount=None):
        p = DeepeningPlan.objects.create(
            member=member,
            year=YEAR,
            title="深耕计划",
            objectives="目标",
            period_start=datetime.date(YEAR, 3, 1),
            period_end=datetime.date(YEAR, 12, 31),
            status=status,
            submitted_at=submitted,
            approved_amount=amount,
            decided_at=at(4, 10) if amount is not None else None,
        )
        for profile in entries:
            PlanEnterprise.objects.create(plan=p, profile=profile, objectives="目标")
        return p

    plan(o.a, "submitted", at(3, 5), [p1, p2])
    plan(o.a, "draft", None, [p1])
    plan(o.b, "approved", at(4, 1), [p3], Decimal("50000"))


def _education(o, people):
    from huifu.certificates.models import Certificate
    from huifu.credits.models import HourCategory, SessionCredit, SessionHours
    from huifu.events.models import CheckIn, Registration, Series, Session, SurveyResponse

    talks = Series.objects.create(year=YEAR, kind="monthly_talk", title_zh="大宗商品月月谈2025")
    training = Series.objects.create(year=YEAR, kind="training", title_zh="培训2025")

    def session(series, month, day, state="published"):
        return Session.objects.create(
            series=series,
            title="讲座",
            date=datetime.date(YEAR, month, day),
            topic_type="market_outlook",
            capacity=100,
            state=state,
            published_at=at(1, 5) if state != "draft" else None,
        )

    s1 = session(talks, 3, 15)
    s2 = session(training, 3, 20)
    session(talks, 9, 10, state="cancelled")
    session(talks, 10, 1, state="draft")

    def register(s, person, org, state="confirmed", audience="", checked=False, overall=None):
        r = Registration.objects.create(
            session=s, person=person, registered_by=person, organisation=org, state=state, audience=audience
        )
        if checked:
            CheckIn.objects.create(registration=r, checked_in_at=at(s.date.month, s.date.day, 14), desk="前台")
        if overall:
            SurveyResponse.objects.create(
                registration=r, overall=overall, content=4, speaker=4, organisation=4, submitted_at=at(4, 1)
            )
        return r

    register(s1, people.pa1, o.a, audience="industry_clients", checked=True, overall=5)
    register(s1, people.pa2, o.a, audience="industry_clients")
    register(s1, people.pb1, o.b, audience="individuals", checked=True, overall=2)
    register(s2, people.pa1, o.a, audience="industry_clients", checked=True)
    register(s2, people.pb1, o.b, state="waitlisted")
    credit = SessionCredit.objects.create(session=s2)
    c1 = HourCategory.objects.create(code="dash-a", name_zh="专业")
    c2 = HourCategory.objects.create(code="dash-b", name_zh="职业道德")
    SessionHours.objects.create(credit=credit, category=c1, hours=Decimal("3.0"))
    SessionHours.objects.create(credit=credit, category=c2, hours=Decimal("1.5"))
    for n, (person, org, state) in enumerate(((people.pa1, o.a, "valid"), (people.pb1, o.b, "revoked")), start=1):
        Certificate.objects.create(
            number=f"DASH-{n}",
            year=YEAR,
            serial=n,
            code=f"dashcode{n}",
            kind="attendance",
            state=state,
            holder=person,
            holder_name=person.full_name,
            organisation=org,
            session=s2,
            title="结业",
            issued_on=datetime.date(YEAR, 3, 21),
            issued_at=at(3, 21),
            issued_by=people.coordinator,
            session_date=s2.date,
            revoked_at=at(5, 1) if state == "revoked" else None,
            revocation_reason="重复" if state == "revoked" else "",
        )


@pytest.fixture
def year_data(db, org_a, org_b, dept_business, dept_msc, coordinator, member_a_admin, member_b_admin):
    o = SimpleNamespace(a=org_a, b=org_b, business=dept_business, msc=dept_msc)
    people = SimpleNamespace(
        coordinator=coordinator,
        a_admin=member_a_admin,
        b_admin=member_b_admin,
        pa1=org_user(org_a, email="pa1@alpha.example", full_name="甲一"),
        pa2=org_user(org_a, email="pa2@alpha.example", full_name="甲二"),
        pb1=org_user(org_b, email="pb1@beta.example", full_name="乙一"),
    )
    _feedback(o, people)
    _visits(o)
    _activities(o, people)
    _incentives(o, people)
    _deepening(o)
    _education(o, people)
    return SimpleNamespace(**vars(o), **vars(people))


def grow(data) -> None:
    """More records in every programme (for the constant-query tests): new departments, topics,
    kinds of rows in each group, so any per-row query would show."""
    import itertools

    from huifu.core.testing.factories import DepartmentFactory
    from huifu.deepening.models import DeepeningPlan, EnterpriseProfile, PlanEnterprise
    from huifu.events.models import CheckIn, Registration, Session
    from huifu.servicedesk.models import FeedbackForm, FeedbackItem, Topic

    n = next(_counter)
    dept = DepartmentFactory(name_zh=f"新部门{n}", code=f"new-{n}")
    topic = Topic.objects.create(name=f"新主题{n}")
    form = FeedbackForm.objects.create(
        organisation=data.a,
        year=YEAR,
        serial=500 + n,
        status="submitted",
        received_at=at(8, 1),
        form_date=datetime.date(YEAR, 8, 1),
        contact_name="联系人",
        phone="021-1",
        email="c@example.com",
    )
    for k in range(3):
        item = FeedbackItem.objects.create(
            form=form, kind="help_request", number=k + 1, text="求助", organisation=data.a
        )
        item.departments.set([dept])
        item.topics.set([topic])
    _visits(data)
    profile = EnterpriseProfile.objects.create(
        member=data.a, pending_name=f"新企业{n}", pending_region=Region.YUNNAN, industry="化工", situation="willing"
    )
    plan = DeepeningPlan.objects.create(
        member=data.a,
        year=YEAR,
        title="新计划",
        objectives="目标",
        period_start=datetime.date(YEAR, 6, 1),
        period_end=datetime.date(YEAR, 12, 31),
        status="submitted",
        submitted_at=at(6, 1),
    )
    PlanEnterprise.objects.create(plan=plan, profile=profile, objectives="目标")
    session = Session.objects.get(date=datetime.date(YEAR, 3, 15))
    for person in itertools.islice(
        (org_user(data.a, email=f"grow{n}-{k}@alpha.example", full_name=f"新{k}") for k in range(3)), 3
    ):
        r = Registration.objects.create(
            session=session,
            person=person,
            registered_by=person,
            organisation=data.a,
            state="confirmed",
            audience="analysts",
        )
        CheckIn.objects.create(registration=r, checked_in_at=at(3, 15, 14), desk="前台")


_counter = iter(range(1, 1000))

# --- awards (2023, through the real awards and selections services) ---------------------------


@pytest.fixture
def awards_year(
    coordinator,
    coordinator_2,  # noqa: F811 (the fixture imported above)
    rating_2023,  # noqa: F811 (the fixture imported above)
    scored,  # noqa: F811 (the fixture imported above)
    selection,  # noqa: F811 (the fixture imported above)
    team_category,  # noqa: F811 (the fixture imported above)
    org_a,
    org_b,
    member_a_admin,
):
    # Member rating. A: volume 800/1000 → 80, activities 0, compliance 90/90 → 100:
    # 0.6 × (0.5 × 80 + 0.5 × 0) + 0.4 × 100 = 64.00. B: volume 100, compliance 80/90 → 88.89:
    # 0.6 × 50 + 0.4 × 88.89 = 65.56. Quota 1 → B.
    from django.utils import timezone
    from freezegun import freeze_time

    from huifu.awards.models import ProgrammeKind, Winner
    from huifu.awards.services import winner_revoke
    from huifu.awards.services.evaluations import evaluation_compute, list_publish, objection_decide, objection_submit
    from huifu.selections import services as selections
    from huifu.selections.models import PhaseKind
    from huifu.selections.tests.conftest import move_to

    evaluation_compute(actor=coordinator, evaluation=rating_2023)
    list_publish(actor=coordinator, evaluation=rating_2023)  # v1
    rating_2023.refresh_from_db()
    objection = objection_submit(actor=member_a_admin, evaluation=rating_2023, text="成交量统计有误")
    objection_decide(actor=coordinator_2, objection=objection, upheld=False, reason="成交量与交易所数据一致")
    after = datetime.datetime.combine(rating_2023.objection_deadline + datetime.timedelta(days=1), datetime.time(9))
    with freeze_time(timezone.make_aware(after)):
        list_publish(actor=coordinator, evaluation=rating_2023)  # v1.1, final: B wins
    rating_winner = Winner.objects.get(edition=rating_2023.edition)
    assert rating_winner.organisation == org_b
    winner_revoke(actor=coordinator, winner=rating_winner, reason="2024年受到行政处罚")

    # Analyst selection: A's team (judges 88.x) ahead of B's two; 3 × 30 % = 0.9 → ceil 1 → A's team.
    team_category.quota_rounding = "ceil"
    team_category.save()
    move_to(selection, PhaseKind.REVIEW)
    run = selections.results_compute(actor=coordinator, category=team_category)
    selections.results_review(actor=coordinator, run=run)
    move_to(selection, PhaseKind.PUBLICATION)
    selections.results_publish(actor=coordinator, run=run)
    analyst_winner = Winner.objects.get(edition__programme__kind=ProgrammeKind.ANALYST)
    assert analyst_winner.organisation == org_a
    return SimpleNamespace(rating_winner=rating_winner, analyst_winner=analyst_winner, a=org_a, b=org_b)
