"""The home card's "replies to read" counts the sent replies a member user has not opened: it goes
down when the user opens the form with its reply; one user's reads never count for a colleague,
and company A's reads never touch company B's count."""

import pytest

from huifu.core.testing.auth import login
from huifu.servicedesk import services
from huifu.servicedesk.models import ReplyRead

pytestmark = pytest.mark.django_db
HOME = "/"


def _to_read(client) -> int:
    cards = {rc.key: rc.content for rc in client.get(HOME).context["cards"]}
    (row,) = [r for r in cards["servicedesk.feedback"].rows if str(r.label) == "未读的答复"]
    return row.count


def _replied(submit, coordinator, dept_staff, dept_business, actor):
    form = submit(actor=actor)
    for item in form.items.all():
        services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
        services.answer_draft(item=item, department=dept_business, text="已研究。", actor=dept_staff)
    reply = services.reply_compose(form=form, mode="written", actor=coordinator)
    services.reply_approve_send(reply=reply, actor=coordinator)
    form.refresh_from_db()
    return form


def test_opening_the_reply_lowers_the_count_for_that_user_only(client, replied_form, member_a_admin, member_a_contact):
    login(client, member_a_admin)
    assert _to_read(client) == 1
    assert client.get(replied_form.get_absolute_url()).status_code == 200
    assert _to_read(client) == 0
    client.get(replied_form.get_absolute_url())  # again: still one marker
    assert ReplyRead.objects.filter(user=member_a_admin).count() == 1
    client.logout()
    login(client, member_a_contact)
    assert _to_read(client) == 1  # a colleague has not opened it yet


def test_company_a_reads_never_affect_company_b(
    client, submit, coordinator, dept_staff, dept_business, member_a_admin, member_b_admin, official_calendar
):
    form_a = _replied(submit, coordinator, dept_staff, dept_business, member_a_admin)
    form_b = _replied(submit, coordinator, dept_staff, dept_business, member_b_admin)
    login(client, member_a_admin)
    client.get(form_a.get_absolute_url())
    assert _to_read(client) == 0
    assert client.get(form_b.get_absolute_url()).status_code == 404  # and no marker on B's reply
    assert not ReplyRead.objects.filter(reply__form=form_b).exists()
    client.logout()
    login(client, member_b_admin)
    assert _to_read(client) == 1


def test_staff_reading_records_nothing(client, replied_form, coordinator):
    login(client, coordinator)
    client.get(replied_form.get_absolute_url())
    assert not ReplyRead.objects.exists()
