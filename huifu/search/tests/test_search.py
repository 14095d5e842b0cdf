"""The global search: every kind is found by a user allowed to see it and by nobody else
(company B, another co-organiser, a reader outside the audience), bad input answers a message,
and each search costs a constant number of queries as records grow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.cases.models import CaseAudience
from huifu.core.testing.access import assert_constant_queries, assert_denied, fetch
from huifu.notices.models import AudienceKind
from huifu.search.query import clean_query
from huifu.search.registry import HITS_PER_GROUP, providers, search_all

pytestmark = pytest.mark.django_db
URL = reverse("search:results")


def keys_found(user, text):
    """{provider key: [hit titles]} for the groups that found something."""
    return {g.provider.key: [h.title for h in g.found.hits] for g in search_all(user=user, text=text) if g.found.hits}


def page(client, user, text):
    response = fetch(client, user, URL, data={"q": text})
    assert response.status_code == 200
    return response.content.decode()


def test_every_app_registered_its_provider():
    assert [p.key for p in providers()] == [
        "organisations",
        "feedback_forms",
        "feedback_items",
        "visits",
        "activities",
        "deepening_plans",
        "participations",
        "notices",
        "cases",
        "sessions",
        "certificates",
        "eduworks",
        "universities.mous",
        "universities.courses",
        "universities.students",
    ]


def test_anonymous_is_sent_to_login(client):
    assert_denied(client, None, URL + "?q=期货")


def test_header_box_only_for_signed_in_users(client, member_a_admin):
    assert 'role="search"' not in client.get(reverse("account_login")).content.decode()
    assert 'id="site-search"' in fetch(client, member_a_admin, reverse("notices:list")).content.decode()


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "　　", "，。！？、", "!!! ---", "…… ——", "a" * 500, "保证金" * 170],
)
def test_bad_input_gets_a_message_never_a_500(client, member_a_admin, raw):
    text, problem = clean_query(raw)
    assert text == "" and problem
    html = page(client, member_a_admin, raw)
    assert 'aria-invalid="true"' in html
    assert 'class="search-group"' not in html


def test_input_is_trimmed_and_spaces_collapsed():
    assert clean_query("  铜   期货 ") == ("铜 期货", "")
    assert clean_query("保证金")[0] == "保证金"


# ---- one test per kind: allowed user finds it, company B (or the like) does not -------------


def test_companies(coordinator, member_a_admin, member_b_admin, org_a, org_b):
    assert "甲期货有限公司" in keys_found(coordinator, "甲期货")["organisations"]
    assert keys_found(member_a_admin, "甲期货")["organisations"] == ["甲期货有限公司"]
    assert "organisations" not in keys_found(member_b_admin, "甲期货")
    assert keys_found(member_b_admin, "期货有限公司")["organisations"] == ["乙期货有限公司"]


def test_member_voice_forms_and_items(submit, coordinator, member_a_admin, member_b_admin):
    form = submit(suggestions=["建议扩大铜期货交割库容"], help_requests=["希望协助解决接口测试环境问题"])
    for user in (coordinator, member_a_admin):
        found = keys_found(user, "交割库容")
        assert found["feedback_forms"] == [str(form)]
        assert found["feedback_items"] == ["建议扩大铜期货交割库容"]
    assert not {"feedback_forms", "feedback_items"} & set(keys_found(member_b_admin, "交割库容"))
    # Company B's own form is found by B, and A does not see it.
    submit(actor=member_b_admin, suggestions=["建议优化仓单注销流程"], help_requests=[])
    assert "feedback_items" in keys_found(member_b_admin, "仓单注销")
    assert "feedback_items" not in keys_found(member_a_admin, "仓单注销")


def test_visits(make_visit, coordinator, member_a_admin, member_b_admin):
    make_visit(purpose="交流期权做市业务")
    assert keys_found(member_a_admin, "期权做市")["visits"]
    assert keys_found(coordinator, "期权做市")["visits"]
    assert "visits" not in keys_found(member_b_admin, "期权做市")


def test_activities(make_activity, coordinator, member_a_admin, member_b_admin):
    make_activity(member_a_admin, title="有色金属产业链风险管理论坛")
    assert keys_found(member_a_admin, "风险管理论坛")["activities"] == ["有色金属产业链风险管理论坛"]
    assert keys_found(coordinator, "风险管理论坛")["activities"]
    assert "activities" not in keys_found(member_b_admin, "风险管理论坛")


def test_deepening_plans(make_plan, coordinator, member_a_admin, member_b_admin):
    make_plan(title="铜产业链深耕计划")
    assert keys_found(member_a_admin, "深耕计划")["deepening_plans"] == ["铜产业链深耕计划"]
    assert keys_found(coordinator, "深耕计划")["deepening_plans"]
    assert "deepening_plans" not in keys_found(member_b_admin, "深耕计划")


def test_participations(submitted, coordinator, member_a_admin, member_b_admin):
    assert keys_found(member_a_admin, "测试功能类")["participations"]
    assert keys_found(coordinator, "测试功能类")["participations"]
    assert "participations" not in keys_found(member_b_admin, "测试功能类")


def test_notices(make_notice, coordinator, org_a, member_a_admin, member_b_admin):
    make_notice(
        title="关于甲公司交割仓库检查的通知", audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org_a]
    )
    make_notice(title="关于交割仓库检查的草稿", publish=False)
    assert keys_found(member_a_admin, "交割仓库检查")["notices"] == ["关于甲公司交割仓库检查的通知"]
    assert "notices" not in keys_found(member_b_admin, "交割仓库检查")
    assert keys_found(coordinator, "交割仓库检查")["notices"] == ["关于甲公司交割仓库检查的通知"]


def test_cases(make_case, coordinator, member_a_admin, public_user, member_b_admin):
    make_case(title="铜企套保案例（会员）", audience=CaseAudience.MEMBERS)
    make_case(title="铜企套保案例（草稿）", publish=False)
    assert keys_found(member_a_admin, "铜企套保")["cases"] == ["铜企套保案例（会员）"]
    assert keys_found(member_b_admin, "铜企套保")["cases"] == ["铜企套保案例（会员）"]  # no draft
    assert "cases" not in keys_found(public_user, "铜企套保")  # members-only audience
    assert set(keys_found(coordinator, "铜企套保")["cases"]) == {"铜企套保案例（会员）", "铜企套保案例（草稿）"}


def test_sessions(training_session, coordinator, university_user, other_university_user, member_b_admin):
    assert keys_found(university_user, "合规培训")["sessions"] == ["合规培训"]
    assert keys_found(coordinator, "合规培训")["sessions"] == ["合规培训"]
    assert "sessions" not in keys_found(other_university_user, "合规培训")
    assert "sessions" not in keys_found(member_b_admin, "合规培训")


# ---- the page ------------------------------------------------------------------------------


def test_page_groups_by_kind_with_counts_and_more_links(client, make_activity, submit, member_a_admin):
    make_activity(member_a_admin, title="铜产业链论坛")
    submit(suggestions=["建议加强铜产业链服务"], help_requests=[])
    html = page(client, member_a_admin, "铜产业链")
    assert 'data-kind="activities"' in html and 'data-kind="feedback_items"' in html
    assert reverse("activities:list") + "?q=%E9%93%9C%E4%BA%A7%E4%B8%9A%E9%93%BE" in html
    assert "(1)" in html
    assert "打开列表" in html  # one hit each: the list link, not "more"
    assert 'class="search-group"' in html


def test_nothing_found_says_so(client, member_a_admin):
    html = page(client, member_a_admin, "不存在的词语")
    assert 'class="empty-state"' in html


def test_count_is_capped_and_hits_limited(make_activity, member_a_admin, monkeypatch):
    from huifu.search import registry

    monkeypatch.setattr(registry, "COUNT_CAP", 7)
    for n in range(HITS_PER_GROUP + 4):
        make_activity(member_a_admin, title=f"套期保值论坛{n}")
    group = next(g for g in search_all(user=member_a_admin, text="套期保值") if g.provider.key == "activities")
    assert len(group.found.hits) == HITS_PER_GROUP
    assert group.found.count == HITS_PER_GROUP + 4
    assert group.has_more


def test_capped_count_says_plus_beyond_the_cap(make_activity, member_a_admin):
    from huifu.activities import selectors
    from huifu.search.registry import capped

    for n in range(4):
        make_activity(member_a_admin, title=f"期权论坛{n}")
    assert capped(selectors.activity_list(user=member_a_admin, search="期权论坛"), cap=3) == "3+"


def test_constant_queries_as_records_grow(
    client, coordinator, member_a_admin, make_activity, submit, make_visit, make_notice, make_case
):
    fetch(client, coordinator, URL)

    def grow():
        for n in range(HITS_PER_GROUP + 1):
            make_activity(member_a_admin, title=f"铜期货论坛{n}")
            submit(suggestions=[f"铜期货建议{n}"], help_requests=[])
            make_visit(purpose=f"交流铜期货{n}")
            make_notice(title=f"铜期货通知{n}")
            make_case(title=f"铜期货案例{n}")

    # Every group's page is full before the first count too (a group with fewer hits than a page
    # skips its count query), so both runs read the same way.
    grow()
    assert_constant_queries(client, URL + "?q=铜期货", grow)
