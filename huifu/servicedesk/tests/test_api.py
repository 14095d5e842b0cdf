"""The REST API /api/v1/feedback/: permission matrix both ways, company isolation, idempotent
submit, field-named errors, constant queries on the lists."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from huifu.accounts.services import token_create
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied, fetch
from huifu.core.testing.auth import login
from huifu.servicedesk import services
from huifu.servicedesk.models import FeedbackForm, FeedbackItem, Reply, Satisfaction

from .conftest import seal_upload

pytestmark = pytest.mark.django_db

API = "/api/v1/feedback"
STAFF = ("dept_staff", "dept_head", "coordinator")
MEMBERS_A = ("member_a", "member_a_contact")
OUTSIDERS = ("partner", "regulator", "public")
JSON = "application/json"


def payload(**overrides):
    data = {
        "contact_name": "张联系",
        "phone": "021-68400000",
        "email": "contact@alpha.example",
        "form_date": "2024-03-01",
        "suggestions": ["建议扩大铜期货交割库容", "建议下调期权做市商手续费"],
        "help_requests": ["希望协助解决测试环境问题"],
    }
    data.update(overrides)
    return data


def post_json(client, url, data, **extra):
    return client.post(url, data=json.dumps(data), content_type=JSON, **extra)


@pytest.fixture
def form_b(submit, member_b_admin):
    return submit(actor=member_b_admin, email="b@beta.example", suggestions=["乙公司的建议"], help_requests=[])


@pytest.fixture
def draft_reply_a(submit, coordinator):
    form = submit(suggestions=["尚未答复的建议"], help_requests=[])
    return services.reply_compose(form=form, mode="written", text="草稿答复", actor=coordinator)


@pytest.fixture
def collective(form_b, coordinator, org_b):
    topic = services.topic_create(name="交割库容", actor=coordinator)
    to_all = services.collective_publish(
        topic=topic, mode="written", title="致全体会员的答复", text="统一答复。", actor=coordinator
    )
    to_b = services.collective_publish(
        topic=topic,
        mode="written",
        title="只致乙公司的答复",
        text="专门答复。",
        actor=coordinator,
        audience_kind="organisations",
        organisations=[org_b],
    )
    return to_all, to_b


def test_anonymous_gets_401_everywhere(client, replied_form):
    item = replied_form.items.first()
    reply = replied_form.reply
    for url in (
        f"{API}/forms/",
        f"{API}/forms/{replied_form.pk}/",
        f"{API}/items/",
        f"{API}/items/{item.pk}/",
        f"{API}/replies/",
        f"{API}/replies/{reply.pk}/",
        f"{API}/collective-answers/",
    ):
        assert_denied(client, None, url)
    count = FeedbackForm.objects.count()
    for url, data in (
        (f"{API}/forms/", payload()),
        (f"{API}/items/{item.pk}/assign/", {"owner": 1, "departments": [1]}),
        (f"{API}/replies/{reply.pk}/satisfaction/", {"rating": 5}),
    ):
        assert_denied(client, None, url, method="post", data=json.dumps(data), content_type=JSON)
    assert FeedbackForm.objects.count() == count and not Satisfaction.objects.exists()


def test_form_list_is_scoped_by_company(client, personas, replied_form, form_b):
    def ids(name):
        response = assert_allowed(client, personas[name], f"{API}/forms/")
        return {row["id"] for row in response.json()["results"]}

    for name in MEMBERS_A:
        assert ids(name) == {replied_form.pk}
    assert ids("member_b") == {form_b.pk}
    for name in STAFF:
        assert ids(name) == {replied_form.pk, form_b.pk}
    for name in OUTSIDERS:
        assert_denied(client, personas[name], f"{API}/forms/", codes=(403,))
    # A member cannot widen its list with the staff filters.
    response = assert_allowed(
        client, personas["member_a"], f"{API}/forms/", data={"organisation": form_b.organisation_id}
    )
    assert [row["id"] for row in response.json()["results"]] == [replied_form.pk]


def test_form_detail_matrix(client, personas, replied_form):
    url = f"{API}/forms/{replied_form.pk}/"
    for name in (*MEMBERS_A, *STAFF):
        body = assert_allowed(client, personas[name], url).json()
        assert body["serial"] == replied_form.serial_display and len(body["items"]) == 3
        assert body["reply"] == replied_form.reply.pk and body["deadline"]["status"] == "done"
        assert ("departments" in body["items"][0]) == (name in STAFF)
    assert_denied(client, personas["member_b"], url, codes=(404,))
    for name in OUTSIDERS:
        assert_denied(client, personas[name], url, codes=(403,))
    assert_denied(client, personas["member_a"], f"{API}/forms/999999/", codes=(404,))


def test_items_matrix(client, personas, replied_form, form_b):
    item = replied_form.items.first()
    url = f"{API}/items/{item.pk}/"
    for name in (*MEMBERS_A, *STAFF):
        assert assert_allowed(client, personas[name], url).json()["id"] == item.pk
    assert_denied(client, personas["member_b"], url, codes=(404,))
    for name in OUTSIDERS:
        assert_denied(client, personas[name], url, codes=(403,))
    response = assert_allowed(client, personas["member_b"], f"{API}/items/")
    assert {row["form"] for row in response.json()["results"]} == {form_b.pk}
    response = assert_allowed(client, personas["coordinator"], f"{API}/items/", data={"form": replied_form.pk})
    assert {row["id"] for row in response.json()["results"]} == set(replied_form.items.values_list("pk", flat=True))
    assert_denied(client, personas["coordinator"], f"{API}/items/", data={"form": "x"}, codes=(400,))


def test_assign_matrix_and_errors(client, personas, form_b, dept_business, dept_msc, dept_staff, org_a):
    item = form_b.items.first()
    url = f"{API}/items/{item.pk}/assign/"
    good = json.dumps({"owner": dept_staff.pk, "departments": [dept_business.pk, dept_msc.pk]})
    for name in ("dept_staff", "dept_head", "member_b", *OUTSIDERS):
        assert_denied(client, personas[name], url, method="post", data=good, content_type=JSON, codes=(403,))
    for name in MEMBERS_A:
        assert_denied(client, personas[name], url, method="post", data=good, content_type=JSON, codes=(404,))
    item.refresh_from_db()
    assert item.owner is None and not item.departments.exists()
    login(client, personas["coordinator"])
    bad = post_json(client, url, {"owner": personas["member_b"].pk, "departments": []})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"owner", "departments"}
    response = post_json(client, url, json.loads(good))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["owner"]["id"] == dept_staff.pk
    assert {d["id"] for d in body["departments"]} == {dept_business.pk, dept_msc.pk}


def test_replies_visible_to_own_company_once_sent(client, personas, replied_form, draft_reply_a, form_b):
    sent = replied_form.reply
    for name in MEMBERS_A:
        response = assert_allowed(client, personas[name], f"{API}/replies/")
        assert [row["id"] for row in response.json()["results"]] == [sent.pk]
        body = assert_allowed(client, personas[name], f"{API}/replies/{sent.pk}/").json()
        assert body["status"] == "sent" and body["letter_url"].startswith("/api/v1/files/")
        assert_denied(client, personas[name], f"{API}/replies/{draft_reply_a.pk}/", codes=(404,))
    assert_denied(client, personas["member_b"], f"{API}/replies/{sent.pk}/", codes=(404,))
    assert assert_allowed(client, personas["member_b"], f"{API}/replies/").json()["results"] == []
    for name in STAFF:
        response = assert_allowed(client, personas[name], f"{API}/replies/")
        assert {row["id"] for row in response.json()["results"]} == {sent.pk, draft_reply_a.pk}
    for name in OUTSIDERS:
        assert_denied(client, personas[name], f"{API}/replies/{sent.pk}/", codes=(403,))


def test_satisfaction_matrix(client, personas, replied_form, draft_reply_a):
    reply = replied_form.reply
    url = f"{API}/replies/{reply.pk}/satisfaction/"
    data = json.dumps({"rating": 4, "comment": "答复及时"})
    assert_denied(client, personas["member_b"], url, method="post", data=data, content_type=JSON, codes=(404,))
    for name in (*STAFF, *OUTSIDERS):
        assert_denied(client, personas[name], url, method="post", data=data, content_type=JSON, codes=(403,))
    assert not Satisfaction.objects.exists()
    draft_url = f"{API}/replies/{draft_reply_a.pk}/satisfaction/"
    assert_denied(client, personas["member_a"], draft_url, method="post", data=data, content_type=JSON, codes=(404,))
    login(client, personas["member_a"])
    for bad in ({"rating": 0}, {"rating": 6}, {"rating": "x"}, {}):
        response = post_json(client, url, bad)
        assert response.status_code == 400 and "rating" in response.json()["error"]["fields"]
    assert not Satisfaction.objects.exists()
    response = post_json(client, url, {"rating": 4, "comment": "答复及时"})
    assert response.status_code == 200 and response.json()["satisfaction"] == {"rating": 4, "comment": "答复及时"}
    response = fetch(client, personas["member_a_contact"], url, "post", data, content_type=JSON)
    assert response.status_code == 200
    sat = Satisfaction.objects.get()
    assert sat.rating == 4 and sat.by == personas["member_a_contact"]


def test_collective_answers_by_audience(client, personas, collective):
    to_all, to_b = collective

    def ids(name):
        return {r["id"] for r in assert_allowed(client, personas[name], f"{API}/collective-answers/").json()["results"]}

    assert ids("member_a") == {to_all.pk}
    assert ids("member_b") == {to_all.pk, to_b.pk}
    assert ids("coordinator") == {to_all.pk, to_b.pk}
    assert_denied(client, personas["member_a"], f"{API}/collective-answers/{to_b.pk}/", codes=(404,))
    body = assert_allowed(client, personas["member_b"], f"{API}/collective-answers/{to_b.pk}/").json()
    assert body["title"] == "只致乙公司的答复" and body["topic"]["name"] == "交割库容"
    for name in OUTSIDERS:
        assert_denied(client, personas[name], f"{API}/collective-answers/", codes=(403,))


def test_submit_is_idempotent_by_header_or_field(client, official_calendar, member_a_admin, member_a_contact):
    url = f"{API}/forms/"
    login(client, member_a_admin)
    first = post_json(client, url, payload(), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["serial"] == "001" and body["status"] == "submitted" and body["channel"] == "portal"
    assert [i["kind"] for i in body["items"]] == ["help_request", "suggestion", "suggestion"]
    again = post_json(client, url, payload(contact_name="重复提交"), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    login(client, member_a_contact)  # same company, same key: still the first form
    assert post_json(client, url, payload(), HTTP_IDEMPOTENCY_KEY="retry-1").json()["id"] == body["id"]
    by_field = post_json(client, url, payload(idempotency_key="retry-2"))
    assert by_field.status_code == 201 and by_field.json()["serial"] == "002"
    assert post_json(client, url, payload(idempotency_key="retry-2")).status_code == 200
    assert FeedbackForm.objects.filter(organisation=member_a_admin.organisation).count() == 2
    assert FeedbackItem.objects.filter(organisation=member_a_admin.organisation).count() == 6


def test_submit_refuses_another_company_and_bad_input(
    client, official_calendar, personas, member_a_admin, member_b_admin, org_a
):
    url = f"{API}/forms/"
    login(client, member_b_admin)
    response = post_json(client, url, payload(organisation=org_a.pk))
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["organisation"]
    for bad, field in (
        ({"contact_name": ""}, "contact_name"),
        ({"email": "not-an-email"}, "email"),
        ({"form_date": "2024-02-30"}, "form_date"),
        ({"suggestions": [], "help_requests": []}, "suggestions"),
        ({"suggestions": "不是列表"}, "suggestions"),
        ({"phone": "   "}, "phone"),
    ):
        response = post_json(client, url, payload(**bad))
        assert response.status_code == 400, (bad, response.content)
        assert response.json()["error"]["code"] == "validation_error"
        assert field in response.json()["error"]["fields"], (bad, response.json())
    assert client.post(url, data="{not json", content_type=JSON).status_code == 400
    assert not FeedbackForm.objects.exists()
    for name in (*OUTSIDERS,):
        assert_denied(client, personas[name], url, method="post", data=json.dumps(payload()), content_type=JSON)
    assert not FeedbackForm.objects.exists()
    # Staff enter a form on a company's behalf and must name it.
    login(client, personas["coordinator"])
    assert list(post_json(client, url, payload()).json()["error"]["fields"]) == ["organisation"]
    assert "organisation" in post_json(client, url, payload(organisation=999999)).json()["error"]["fields"]
    response = post_json(client, url, payload(organisation=org_a.pk))
    assert response.status_code == 201 and response.json()["channel"] == "staff"


def test_submit_with_a_seal_scan_upload(client, official_calendar, member_a_admin):
    login(client, member_a_admin)
    data = {**payload(), "seal_scan": seal_upload()}
    response = client.post(f"{API}/forms/", data=data, HTTP_IDEMPOTENCY_KEY="multipart-1")
    assert response.status_code == 201, response.content
    # The link works for the API client itself, with its token (not the page URL behind the login).
    link = response.json()["seal_scan_url"]
    assert link.startswith("/api/v1/files/")
    _token, raw = token_create(user=member_a_admin, name="script", actor=member_a_admin)
    download = Client().get(link, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert len(response.json()["items"]) == 3
    bad = {
        **payload(),
        "seal_scan": SimpleUploadedFile("公章.png", b"MZ\x90\x00 not an image", content_type="image/png"),
    }
    response = client.post(f"{API}/forms/", data=bad)
    assert response.status_code == 400 and "seal_scan" in response.json()["error"]["fields"]
    assert FeedbackForm.objects.count() == 1


def test_list_endpoints_run_constant_queries(
    client, official_calendar, member_a_admin, coordinator, dept_staff, dept_business
):
    def grow():
        for _ in range(3):
            form = services.feedback_submit(
                organisation=member_a_admin.organisation,
                actor=member_a_admin,
                contact_name="x",
                phone="1",
                email="x@alpha.example",
                form_date=datetime.date(2024, 1, 1),
                suggestions=["建议一", "建议二"],
                help_requests=["事项"],
            )
            for item in form.items.all():
                services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
            reply = services.reply_compose(form=form, mode="written", text="答复", actor=coordinator)
            services.reply_approve_send(reply=reply, actor=coordinator)

    grow()
    for user in (member_a_admin, coordinator):
        login(client, user)
        for url in (f"{API}/forms/", f"{API}/items/", f"{API}/replies/", f"{API}/collective-answers/"):
            assert_constant_queries(client, url, grow)
    assert Reply.objects.count() == 3 * (1 + 2 * 4)  # the lists really grew
