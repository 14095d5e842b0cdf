"""One empty-state pattern (core/_empty.html): an empty list says what it holds, what to do next,
offers the action to who may take it, and a way back from filters that matched nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login

LISTS = [
    ("visits:list", "visits:create"),
    ("servicedesk:feedback_list", "servicedesk:feedback_new"),
    ("activities:list", "activities:create"),
    ("notices:list", None),
]


def _empty_state(html: str) -> str:
    assert 'data-testid="empty-state"' in html, "the list shows no empty state"
    return html.split('data-testid="empty-state"', 1)[1].split("</div>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("list_name,action", LISTS)
def test_member_sees_what_to_do_next_and_the_action(client, member_a_admin, list_name, action):
    login(client, member_a_admin)
    block = _empty_state(client.get(reverse(list_name)).content.decode())
    assert block.count("<p") >= 2  # what is empty + what to do next
    if action:
        assert f'href="{reverse(action)}"' in block
    assert 'data-testid="clear-filters"' not in block


@pytest.mark.django_db
def test_action_is_offered_only_to_who_may_take_it(client, coordinator):
    """The coordinator reviews activities but does not apply for them: the empty state says what
    the list holds and offers no action."""
    login(client, coordinator)
    block = _empty_state(client.get(reverse("activities:list")).content.decode())
    assert "<p" in block and reverse("activities:create") not in block


@pytest.mark.django_db
def test_filters_that_match_nothing_offer_the_whole_list(client, coordinator):
    login(client, coordinator)
    block = _empty_state(client.get(reverse("hotline:list") + "?q=没有这样的来电").content.decode())
    assert 'data-testid="clear-filters"' in block and f'href="{reverse("hotline:list")}"' in block
