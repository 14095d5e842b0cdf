from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_constant_queries
from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory, org_user
from huifu.servicedesk import services
from huifu.servicedesk.models import FeedbackForm, Reply

from .conftest import seal_upload

pytestmark = pytest.mark.django_db


def test_member_submits_through_the_page_once_even_when_posted_twice(client, official_calendar, member_a_admin):
    login(client, member_a_admin)
    page = client.get(reverse("servicedesk:feedback_new"))
    key = page.context["form"].initial["idempotency_key"]
    data = {
        "contact_name": "甲联系人",
        "phone": "021-68400001",
        "email": "contact@alpha.example",
        "form_date": "2024-03-01",
        "suggestions": "1．建议扩大交割库容\n2．建议降低保证金",
        "help_requests": "希望协助解决接口问题",
        "idempotency_key": key,
        "seal_scan": seal_upload(),
    }
    response = client.post(reverse("servicedesk:feedback_new"), data)
    assert response.status_code == 302
    data["seal_scan"] = seal_upload()
    client.post(reverse("servicedesk:feedback_new"), data)
    form = FeedbackForm.objects.get()
    assert form.serial == 1 and form.items.count() == 3 and form.seal_scan.purpose == "seal_scan"
    assert sorted(form.items.values_list("text", flat=True))[0] == "希望协助解决接口问题"
    body = client.get(form.get_absolute_url()).content.decode()
    assert "001" in body and "建议扩大交割库容" in body


def test_bad_form_shows_errors_and_saves_nothing(client, official_calendar, member_a_admin):
    login(client, member_a_admin)
    response = client.post(
        reverse("servicedesk:feedback_new"),
        {
            "contact_name": "",
            "phone": "021-68400000",
            "email": "x",
            "form_date": "2024-13-01",
            "suggestions": "",
            "help_requests": "",
            "seal_scan": seal_upload("seal.pdf"),
        },
    )
    assert response.status_code == 200 and FeedbackForm.objects.count() == 0
    errors = response.context["form"].errors
    assert {"contact_name", "email", "form_date"} <= set(errors)


def test_wrong_type_seal_is_refused(client, official_calendar, member_a_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, member_a_admin)
    response = client.post(
        reverse("servicedesk:feedback_new"),
        {
            "contact_name": "甲",
            "phone": "021-68400000",
            "email": "a@alpha.example",
            "form_date": "2024-03-01",
            "suggestions": "建议",
            "seal_scan": SimpleUploadedFile("seal.png", b"MZ\x90\x00 not an image"),
        },
    )
    assert response.status_code == 200 and "seal_scan" in response.context["form"].errors
    assert FeedbackForm.objects.count() == 0


def test_isolation_company_b_sees_nothing_of_a(client, replied_form, member_b_admin, member_a_contact):
    reply = Reply.objects.get(form=replied_form)
    login(client, member_b_admin)
    assert "001" not in client.get(reverse("servicedesk:feedback_list")).content.decode()
    assert client.get(replied_form.get_absolute_url()).status_code == 404
    assert client.get(reverse("files:download", args=[reply.letter.pk])).status_code == 404
    assert client.post(reverse("servicedesk:reply_rate", args=[replied_form.pk]), {"rating": 1}).status_code == 404
    login(client, member_a_contact)
    body = client.get(replied_form.get_absolute_url()).content.decode()
    assert "关于第1项" in body
    assert client.get(reverse("files:download", args=[reply.letter.pk])).status_code == 200
    assert client.post(reverse("servicedesk:reply_rate", args=[replied_form.pk]), {"rating": 5}).status_code == 302


def test_member_does_not_see_a_draft_reply(client, submit, coordinator, member_a_admin):
    form = submit()
    services.reply_compose(form=form, mode="written", text="内部草稿答复", actor=coordinator)
    login(client, member_a_admin)
    assert "内部草稿答复" not in client.get(form.get_absolute_url()).content.decode()
    login(client, coordinator)
    assert "内部草稿答复" in client.get(form.get_absolute_url()).content.decode()


def test_collective_answer_for_b_only_is_not_shown_to_a(
    client, submit, coordinator, member_a_admin, member_b_admin, org_b
):
    a_form = submit()
    topic = services.topic_create(name="保证金", actor=coordinator)
    services.item_set_topics(item=a_form.items.first(), topics=[topic], actor=coordinator)
    services.collective_publish(
        topic=topic,
        mode="written",
        title="仅致乙公司的集中答复",
        text="内容",
        actor=coordinator,
        audience_kind="organisations",
        organisations=[org_b],
    )
    login(client, member_a_admin)
    assert "仅致乙公司的集中答复" not in client.get(a_form.get_absolute_url()).content.decode()


def test_staff_flow_through_pages(client, submit, coordinator, dept_staff, dept_business):
    form = submit()
    item = form.items.first()
    login(client, coordinator)
    response = client.post(
        reverse("servicedesk:item_action", args=[item.pk, "assign"]),
        {"owner": dept_staff.pk, "departments": [dept_business.pk]},
    )
    assert response.status_code == 302
    login(client, dept_staff)
    assert client.get(item.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("servicedesk:item_action", args=[item.pk, "answer"]),
        {"department": dept_business.pk, "text": "将研究扩容"},
    )
    assert response.status_code == 302
    login(client, coordinator)
    assert client.post(reverse("servicedesk:reply_compose", args=[form.pk]), {"mode": "written"}).status_code == 302
    assert client.post(reverse("servicedesk:reply_send", args=[form.pk])).status_code == 302
    form.refresh_from_db()
    assert form.status == "replied"
    response = client.post(reverse("servicedesk:reply_compose", args=[form.pk]), {"mode": "meeting"})
    assert response.status_code == 400  # no 500 on a bad move


def test_reports_and_export(client, replied_form, coordinator):
    login(client, coordinator)
    response = client.get(reverse("servicedesk:reports"), {"start": "2020-01-01", "end": "2030-12-31"})
    assert response.context["data"]["totals"] == {"received": 3, "answered": 3, "on_time": 3}
    xlsx = client.get(reverse("servicedesk:report_export"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_list_queries_constant(client, official_calendar, coordinator, member_a_admin):
    def grow(actor=None):
        def _grow():
            for _ in range(3):
                org = actor.organisation if actor else OrganisationFactory()
                user = actor or org_user(org)
                services.feedback_submit(
                    organisation=org,
                    actor=user,
                    contact_name="x",
                    phone="1",
                    email="x@alpha.example",
                    form_date=datetime.date(2024, 1, 1),
                    suggestions=["建议一", "建议二"],
                    help_requests=["事项"],
                )

        return _grow

    grow(member_a_admin)()
    login(client, member_a_admin)
    assert_constant_queries(client, reverse("servicedesk:feedback_list"), grow(member_a_admin))
    login(client, coordinator)
    assert_constant_queries(client, reverse("servicedesk:feedback_list"), grow())
    assert_constant_queries(client, reverse("tracking:queue"), grow())
    assert_constant_queries(client, reverse("servicedesk:reports"), grow())


def test_feedback_list_links_the_word_form_for_members(client, member_a_admin):
    page = assert_allowed(client, member_a_admin, reverse("servicedesk:feedback_list")).content.decode()
    assert reverse("intake:form_download") in page
    assert reverse("intake:form_download") + "?prefill=1" in page
    assert reverse("intake:upload") in page
