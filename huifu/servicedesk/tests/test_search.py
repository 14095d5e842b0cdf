"""Staff text search of the feedback list: words in the items (a GIN index over the jieba tokens
on PostgreSQL, icontains on SQLite), the contact person, the company's name."""

from __future__ import annotations

import pytest
from django.db import connection

from huifu.servicedesk import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms(submit, member_b_admin):
    margin = submit(suggestions=["建议降低保证金比例，减轻会员资金压力"], help_requests=[])
    fees = submit(
        organisation=member_b_admin.organisation,
        actor=member_b_admin,
        contact_name="李四",
        suggestions=["建议下调期权做市商手续费"],
        help_requests=[],
    )
    return margin, fees


def _found(user, text):
    return set(selectors.form_list(user=user, search=text).values_list("pk", flat=True))


def test_search_finds_words_in_items(forms, coordinator):
    margin, fees = forms
    assert _found(coordinator, "保证金") == {margin.pk}
    assert _found(coordinator, "做市") == {fees.pk}  # the start of a word (做市商)
    assert _found(coordinator, "手续费 期权") == {fees.pk}  # every word, in any order
    assert _found(coordinator, "白糖期货") == set()


def test_search_finds_the_contact_person_and_the_company(forms, coordinator, org_b):
    margin, fees = forms
    assert _found(coordinator, "李四") == {fees.pk}
    assert _found(coordinator, org_b.name_zh) == {fees.pk}


def test_search_uses_the_tokens_index_on_postgresql(forms, coordinator):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL index")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = selectors.form_list(user=coordinator, search="保证金").explain()
    assert "servicedesk_item_tokens_fts" in plan
