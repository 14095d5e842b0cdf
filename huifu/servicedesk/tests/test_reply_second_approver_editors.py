"""The second approver of a written reply is never someone who wrote its text. ``drafted_by``
names only who created the draft: before the fix a colleague who rewrote the whole text could,
once the drafter had submitted it, approve and send their own words as the "second" approval."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from huifu.core.testing.auth import login
from huifu.core.testing.factories import staff_user
from huifu.servicedesk import services
from huifu.servicedesk.models import FeedbackForm, ReplyLetterSetting, ReplyStatus
from huifu.servicedesk.services.common import china_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_approval_on():
    return ReplyLetterSetting.objects.create(year=china_year(timezone.now()), second_approval=True, doc_prefix="会服函")


@pytest.fixture
def editor(dept_mm):
    return staff_user(dept_mm, email="editor@shfe.example", full_name="乙改稿")


@pytest.fixture
def third(dept_mm):
    return staff_user(dept_mm, email="third@shfe.example", full_name="丙复核")


@pytest.fixture
def rewritten(submit, coordinator, editor, dept_staff, dept_business, second_approval_on):
    """The coordinator creates the draft, a colleague rewrites it, the coordinator submits it."""
    form = submit()
    for item in form.items.all():
        services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
    services.reply_compose(form=form, mode="written", actor=coordinator, text="初稿")
    services.reply_compose(form=form, mode="written", actor=editor, text="改写后的全文")
    reply = services.reply_approve_send(reply=_reply(form), actor=coordinator)
    assert reply.status == ReplyStatus.PENDING_APPROVAL and reply.drafted_by == coordinator
    return reply


def _reply(form):
    from huifu.servicedesk.models import Reply

    return Reply.objects.get(form=form)


def test_who_rewrote_the_text_cannot_approve_nor_return_it(rewritten, editor):
    with pytest.raises(ValidationError) as err:
        services.reply_approve_send(reply=rewritten, actor=editor)
    assert err.value.code == "own_reply"
    with pytest.raises(ValidationError) as err:
        services.reply_return(reply=rewritten, actor=editor, reason="自己改的")
    assert err.value.code == "own_reply"
    rewritten.refresh_from_db()
    assert rewritten.status == ReplyStatus.PENDING_APPROVAL and rewritten.letter_id is None
    assert services.reply_actions(reply=rewritten, user=editor)["decide"] is False


def test_someone_who_never_wrote_it_approves(rewritten, third):
    assert services.reply_actions(reply=rewritten, user=third)["decide"] is True
    reply = services.reply_approve_send(reply=rewritten, actor=third)
    assert reply.status == ReplyStatus.SENT and reply.approved_by == third


def test_the_page_offers_the_decision_only_to_who_never_wrote_it(client, rewritten, editor, third):
    form_url = reverse("servicedesk:form_detail", args=[rewritten.form_id])
    login(client, editor)
    assert 'data-testid="approve-reply"' not in client.get(form_url).content.decode()
    client.post(reverse("servicedesk:reply_send", args=[rewritten.form_id]))
    rewritten.refresh_from_db()
    assert rewritten.status == ReplyStatus.PENDING_APPROVAL
    login(client, third)
    assert 'data-testid="approve-reply"' in client.get(form_url).content.decode()
    client.post(reverse("servicedesk:reply_send", args=[rewritten.form_id]))
    assert FeedbackForm.objects.get(pk=rewritten.form_id).status == "replied"
