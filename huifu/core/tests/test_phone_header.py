"""The collapsed phone header still says how many notifications are unread: the count rides on
the 菜单 button (the bell itself sits in the collapsed menu)."""

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.notifications import kinds
from huifu.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_the_menu_button_carries_the_unread_count(client, member_a_contact):
    login(client, member_a_contact)
    body = client.get(reverse("core:home")).content.decode()
    assert 'for="nav-toggle"' in body and 'data-testid="menu-unread"' not in body
    for n in range(2):
        notify(
            recipient=member_a_contact,
            kind=kinds.ASSIGNMENT,
            message="Assigned to you: %(title)s",
            params={"title": f"事项{n}"},
        )
    body = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    button = body[body.index('for="nav-toggle"') : body.index("</label>", body.index('for="nav-toggle"'))]
    assert "菜单" in button and 'data-testid="menu-unread"' in button and ">2</span>" in button
