"""The staff editor of a draft scheme: indicators added, changed and removed (with their subtree),
bonus items, caps, the deduction table and the tie-break rule; the owning department only; a
frozen scheme refuses; a level may be out of balance while drafting, but freezing (opening the
evaluation) is refused naming the level and its sum."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from huifu.audit.models import AuditEvent
from huifu.awards.models import BonusItem, DeductionType, Indicator, SchemeVersion
from huifu.awards.services import (
    AwardsError,
    IndicatorInput,
    bonus_item_add,
    bonus_item_remove,
    bonus_item_update,
    deduction_type_remove,
    deduction_type_set,
    indicator_add,
    indicator_remove,
    indicator_update,
    scheme_create,
    scheme_freeze,
    scheme_level_sums,
    scheme_new_version,
    scheme_update,
)
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied, fetch

from .conftest import MEASURE_POINTS, member_tree

FIELDS = {
    "name_zh": "案例发布",
    "name_en": "Cases published",
    "weight": "20",
    "direction": "higher",
    "unit": "篇",
    "source": "computed",
    "metric": "cases_published",
    "description": "当年发布的案例数",
}


@pytest.fixture
def draft(coordinator, rating):
    return scheme_create(
        actor=coordinator, programme=rating, year=2024, indicators=member_tree(), deductions=MEASURE_POINTS
    )


@pytest.fixture
def ine_draft(ine_user, ine_award):
    return scheme_create(
        actor=ine_user,
        programme=ine_award,
        year=2024,
        indicators=[IndicatorInput("clients", "客户开发", "Client development", 100, source="entered")],
    )


def _events(scheme):
    return AuditEvent.objects.filter(target_id=str(scheme.pk), target_type__model="schemeversion")


# ---- services ---------------------------------------------------------------------------


def test_add_change_and_remove_an_indicator_one_audit_entry_each(coordinator, draft):
    market = draft.indicators.get(code="market")
    before = _events(draft).count()
    cases = indicator_add(actor=coordinator, scheme=draft, parent=market, code="cases", **FIELDS)
    assert cases.parent == market and cases.metric == "cases_published" and cases.weight == Decimal("20")
    assert _events(draft).count() == before + 1
    # the level is now out of balance: 50 + 50 + 20 — allowed while drafting, shown per level
    sums = {(s.parent.code if s.parent else None): s.total for s in scheme_level_sums(list(draft.indicators.all()))}
    assert sums == {None: Decimal("100"), "market": Decimal("120")}
    indicator_update(
        actor=coordinator, indicator=cases, **{**FIELDS, "code": "cases", "name_en": "Cases", "weight": "0"}
    )
    cases.refresh_from_db()
    assert cases.name_en == "Cases" and cases.weight == 0
    assert _events(draft).count() == before + 2
    assert indicator_remove(actor=coordinator, indicator=cases) == ["cases"]
    assert not draft.indicators.filter(code="cases").exists()
    assert _events(draft).count() == before + 3


def test_top_level_indicator_and_removing_a_parent_removes_its_subtree(coordinator, draft):
    top = indicator_add(actor=coordinator, scheme=draft, code="service", **{**FIELDS, "source": "judges"})
    assert top.parent is None and top.metric == ""  # a non-computed indicator keeps no metric
    removed = indicator_remove(actor=coordinator, indicator=draft.indicators.get(code="market"))
    assert removed == ["market", "volume", "activities"]
    assert sorted(draft.indicators.values_list("code", flat=True)) == ["compliance", "service"]


def test_duplicate_code_is_refused_naming_the_field(coordinator, draft):
    with pytest.raises(AwardsError) as exc:
        indicator_add(actor=coordinator, scheme=draft, code="volume", **FIELDS)
    assert "volume" in exc.value.message_dict["code"][0]
    other = draft.indicators.get(code="activities")
    with pytest.raises(AwardsError) as exc:
        indicator_update(actor=coordinator, indicator=other, **{**FIELDS, "code": "volume"})
    assert "code" in exc.value.message_dict
    assert draft.indicators.count() == 4


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weight", "abc"),
        ("weight", "-5"),
        ("weight", "100.5"),
        ("weight", "12.345"),
        ("weight", "NaN"),
        ("metric", "gdp"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(coordinator, draft, field, value):
    before = _events(draft).count()
    with pytest.raises(AwardsError) as exc:
        indicator_add(actor=coordinator, scheme=draft, code="new", **{**FIELDS, field: value})
    assert field in exc.value.message_dict
    assert not draft.indicators.filter(code="new").exists()
    assert _events(draft).count() == before


def test_a_frozen_scheme_refuses_every_change(coordinator, draft):
    scheme_freeze(actor=coordinator, scheme=draft)
    market = draft.indicators.get(code="market")
    calls = [
        lambda: indicator_add(actor=coordinator, scheme=draft, code="x", **FIELDS),
        lambda: indicator_update(actor=coordinator, indicator=market, **{**FIELDS, "code": "market"}),
        lambda: indicator_remove(actor=coordinator, indicator=market),
        lambda: bonus_item_add(actor=coordinator, scheme=draft, code="b", name_zh="加", name_en="B", cap=1),
        lambda: deduction_type_set(actor=coordinator, scheme=draft, measure_kind="fine", points=6),
        lambda: scheme_update(
            actor=coordinator, scheme=draft, bonus_cap=5, deduction_cap=None, tie_break="all_tied_in"
        ),
    ]
    for call in calls:
        with pytest.raises(AwardsError) as exc:
            call()
        assert exc.value.code == "scheme_frozen"
    assert draft.indicators.count() == 4 and draft.indicators.filter(code="market").exists()


def test_unbalanced_level_is_refused_at_freeze_naming_level_and_sum(coordinator, draft):
    indicator_add(actor=coordinator, scheme=draft, parent=draft.indicators.get(code="market"), code="cases", **FIELDS)
    with pytest.raises(AwardsError) as exc:
        scheme_freeze(actor=coordinator, scheme=draft)
    assert exc.value.code == "weights_not_100"
    assert "market 市场表现" in exc.value.message_dict["weights"][0] and "120" in exc.value.message_dict["weights"][0]
    draft.refresh_from_db()
    assert not draft.is_frozen


def test_bonus_items_caps_deductions_and_tie_break(coordinator, draft):
    item = bonus_item_add(actor=coordinator, scheme=draft, code="award", name_zh="获奖", name_en="Awards", cap="3")
    bonus_item_update(actor=coordinator, item=item, code="award", name_zh="获奖", name_en="Awards won", cap="2.5")
    item.refresh_from_db()
    assert item.cap == Decimal("2.5") and item.name_en == "Awards won"
    with pytest.raises(AwardsError) as exc:
        bonus_item_add(actor=coordinator, scheme=draft, code="award", name_zh="重", name_en="Dup", cap="1")
    assert "code" in exc.value.message_dict
    with pytest.raises(AwardsError) as exc:
        bonus_item_add(actor=coordinator, scheme=draft, code="neg", name_zh="负", name_en="Neg", cap="-1")
    assert "cap" in exc.value.message_dict
    bonus_item_remove(actor=coordinator, item=item)
    assert not BonusItem.objects.filter(scheme=draft).exists()

    deduction_type_set(actor=coordinator, scheme=draft, measure_kind="fine", points="6", to_be_checked=True)
    assert DeductionType.objects.get(scheme=draft, measure_kind="fine").points == Decimal("6")
    with pytest.raises(AwardsError) as exc:
        deduction_type_set(actor=coordinator, scheme=draft, measure_kind="bribe", points="1")
    assert "measure_kind" in exc.value.message_dict
    deduction_type_remove(actor=coordinator, deduction=DeductionType.objects.get(scheme=draft, measure_kind="warning"))
    assert not draft.deduction_types.filter(measure_kind="warning").exists()

    scheme_update(actor=coordinator, scheme=draft, bonus_cap="5", deduction_cap="", tie_break="fewer_deductions")
    draft.refresh_from_db()
    assert draft.bonus_cap == Decimal("5") and draft.deduction_cap is None and draft.tie_break == "fewer_deductions"
    with pytest.raises(AwardsError) as exc:
        scheme_update(actor=coordinator, scheme=draft, bonus_cap="x", deduction_cap="", tie_break="coin")
    assert "tie_break" in exc.value.message_dict or "bonus_cap" in exc.value.message_dict


def test_only_the_owning_department_edits(dept_staff, ine_user, coordinator, draft, ine_draft):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        indicator_add(actor=dept_staff, scheme=ine_draft, code="x", **FIELDS)
    with pytest.raises(PermissionDenied):
        indicator_add(actor=coordinator, scheme=ine_draft, code="x", **FIELDS)
    with pytest.raises(PermissionDenied):
        indicator_add(actor=ine_user, scheme=draft, code="x", **FIELDS)
    assert indicator_add(actor=ine_user, scheme=ine_draft, code="x", **{**FIELDS, "weight": "0"}).pk


# ---- pages ------------------------------------------------------------------------------


def _post(field_overrides=None, **extra):
    return {"code": "cases", **FIELDS, **(field_overrides or {}), **extra}


def test_editor_pages_allowed_to_the_owner_denied_to_others(
    client, coordinator, dept_staff, ine_user, draft, ine_draft, member_a_admin
):
    add = reverse("awards:indicator_add", args=[draft.pk])
    assert_allowed(client, coordinator, add)
    assert_denied(client, dept_staff, add, codes=(403,))
    assert_denied(client, ine_user, add, codes=(403,))
    assert_denied(client, member_a_admin, add, codes=(404,))
    assert_denied(client, None, add)
    # the overseas broker award: its department only; business-department staff (and the coordinator) refused
    ine_add = reverse("awards:indicator_add", args=[ine_draft.pk])
    assert_allowed(client, ine_user, ine_add)
    for user in (dept_staff, coordinator):
        assert_denied(client, user, ine_add, method="post", data=_post(weight="0"), codes=(403,))
    assert not ine_draft.indicators.filter(code="cases").exists()
    for name, args in [
        ("awards:indicator_edit", [ine_draft.pk, ine_draft.indicators.get().pk]),
        ("awards:indicator_remove", [ine_draft.pk, ine_draft.indicators.get().pk]),
        ("awards:bonus_item_add", [ine_draft.pk]),
        ("awards:deduction_set", [ine_draft.pk]),
        ("awards:scheme_rules", [ine_draft.pk]),
    ]:
        assert_allowed(client, ine_user, reverse(name, args=args))
        assert_denied(client, dept_staff, reverse(name, args=args), codes=(403,))
    assert ine_draft.indicators.count() == 1


def test_bad_input_on_the_page_names_the_field_never_500(client, coordinator, draft):
    url = reverse("awards:indicator_add", args=[draft.pk])
    for overrides, field in [
        ({"weight": "abc"}, "weight"),
        ({"weight": "-1"}, "weight"),
        ({"weight": "101"}, "weight"),
        ({"metric": "gdp"}, "metric"),
        ({"code": "volume"}, "code"),
    ]:
        response = fetch(client, coordinator, url, "post", _post(overrides))
        assert response.status_code == 400, overrides
        assert field in response.context["form"].errors, overrides
    assert draft.indicators.count() == 4
    # a parent from another version, by id: not found
    other = scheme_new_version(actor=coordinator, scheme=draft, year=2025)
    foreign_parent = other.indicators.get(code="market")
    assert fetch(client, coordinator, url, "post", _post(parent=foreign_parent.pk)).status_code == 404
    assert fetch(client, coordinator, url + f"?parent={foreign_parent.pk}").status_code == 404
    assert fetch(client, coordinator, url, "post", _post(parent="x")).status_code == 404
    # an indicator of another version, by id: not found
    edit = reverse("awards:indicator_edit", args=[draft.pk, foreign_parent.pk])
    assert fetch(client, coordinator, edit).status_code == 404
    rules = reverse("awards:scheme_rules", args=[draft.pk])
    response = fetch(client, coordinator, rules, "post", {"bonus_cap": "1e999", "deduction_cap": "", "tie_break": "x"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"bonus_cap", "tie_break"}


def test_frozen_scheme_pages_refuse_with_a_message(client, coordinator, draft):
    scheme_freeze(actor=coordinator, scheme=draft)
    url = reverse("awards:indicator_add", args=[draft.pk])
    response = fetch(client, coordinator, url, "post", _post(weight="0"), follow=True)
    assert "已冻结" in response.content.decode() or "frozen" in response.content.decode()
    assert not draft.indicators.filter(code="cases").exists()
    page = fetch(client, coordinator, reverse("awards:scheme", args=[draft.pk])).content.decode()
    assert 'data-testid="add-indicator"' not in page


def test_chinese_page_edits_next_years_draft_and_an_unbalanced_one_cannot_open(client, coordinator, rating_2023):
    # next year's draft, by the existing page
    response = fetch(client, coordinator, reverse("awards:scheme_next", args=[rating_2023.scheme.pk]), "post")
    new = SchemeVersion.objects.get(programme=rating_2023.programme, year=2024)
    assert response["Location"] == reverse("awards:scheme", args=[new.pk])
    page = client.get(response["Location"]).content.decode()
    assert "添加一级指标" in page  # "Add a top-level indicator", in Chinese
    market = new.indicators.get(code="market")
    # add 案例发布 under 市场表现 (20 %): the market level now adds up to 120 %
    response = client.post(reverse("awards:indicator_add", args=[new.pk]), _post(parent=market.pk), follow=True)
    page = response.content.decode()
    assert "指标已添加" in page
    assert 'data-testid="unbalanced"' in page and "120" in page
    # rename and re-weight an indicator; a bonus item; a measure type's points; the tie-break
    volume = new.indicators.get(code="volume")
    client.post(
        reverse("awards:indicator_edit", args=[new.pk, volume.pk]),
        {**_post(), "code": "volume", "name_zh": "成交量（手）", "metric": "trading_volume", "weight": "50"},
    )
    volume.refresh_from_db()
    assert volume.name_zh == "成交量（手）"
    client.post(
        reverse("awards:bonus_item_add", args=[new.pk]),
        {"code": "honour", "name_zh": "荣誉", "name_en": "Honours", "cap": "2"},
    )
    client.post(reverse("awards:deduction_set", args=[new.pk]), {"measure_kind": "warning_letter", "points": "0.75"})
    client.post(
        reverse("awards:scheme_rules", args=[new.pk]),
        {"bonus_cap": "4", "deduction_cap": "", "tie_break": "fewer_deductions"},
    )
    new.refresh_from_db()
    assert new.bonus_items.get().cap == 2 and new.bonus_cap == 4 and new.tie_break == "fewer_deductions"
    assert new.deduction_types.get(measure_kind="warning_letter").points == Decimal("0.75")
    # last year's frozen scheme is untouched
    assert not rating_2023.scheme.indicators.filter(code="cases").exists()
    # an evaluation on the unbalanced draft cannot be opened: the level and its sum are named
    response = client.post(
        reverse("awards:evaluation_create", args=[new.pk]),
        {
            "evaluation-title_zh": "2024年度会员评优",
            "evaluation-title_en": "2024 Member Rating",
            "evaluation-objection_days": "5",
            "evaluation-categories": "excellent | 优秀会员 | Excellent member | 1",
        },
    )
    evaluation = new.evaluation
    page = client.post(reverse("awards:evaluation_open", args=[evaluation.pk]), follow=True).content.decode()
    assert "market 市场表现" in page and "120" in page
    evaluation.refresh_from_db()
    new.refresh_from_db()
    assert evaluation.state == "draft" and not new.is_frozen
    # removing the new indicator (confirmed) balances the level; then it opens
    remove = reverse("awards:indicator_remove", args=[new.pk, new.indicators.get(code="cases").pk])
    assert "案例发布" in client.get(remove).content.decode()
    assert client.post(remove, {}).status_code == 400  # not confirmed: nothing removed
    assert new.indicators.filter(code="cases").exists()
    client.post(remove, {"confirm": "on"})
    client.post(reverse("awards:evaluation_open", args=[evaluation.pk]))
    evaluation.refresh_from_db()
    assert evaluation.state == "open"


def test_scheme_page_queries_stay_constant_as_indicators_grow(client, coordinator, draft):
    url = reverse("awards:scheme", args=[draft.pk])
    assert "p0" not in fetch(client, coordinator, url).content.decode()  # logs in
    counter = iter(range(100))

    def grow():
        for _ in range(5):
            n = next(counter)
            parent = Indicator.objects.create(scheme=draft, code=f"p{n}", name_zh="父", name_en="P", weight=0)
            Indicator.objects.create(
                scheme=draft, parent=parent, code=f"c{n}", name_zh="子", name_en="C", weight=100, source="entered"
            )
            BonusItem.objects.create(scheme=draft, code=f"b{n}", name_zh="加", name_en="B", cap=1)

    assert_constant_queries(client, url, grow)
    page = client.get(url).content.decode()
    assert 'data-testid="edit-c4"' in page and "b4" in page  # the grown rows are on the page
