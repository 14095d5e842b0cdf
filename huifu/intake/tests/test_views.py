"""Intake pages: permission matrix, downloads, uploads without 500s, triage, query counts."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.intake import services
from huifu.intake.models import IntakeMessage, IntakeStatus
from huifu.intake.wordparse import parse_form
from huifu.servicedesk.models import FeedbackForm

from .conftest import build_eml, docx_upload, filled_form

pytestmark = pytest.mark.django_db

ALL = [
    "anonymous",
    "public_user",
    "member_a_admin",
    "partner_user",
    "regulator",
    "dept_staff",
    "msc_user",
    "coordinator",
]
STAFF = {"dept_staff", "msc_user", "coordinator"}
OWNERS = {"msc_user", "coordinator"}


def persona(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.fixture
def triage_message(official_calendar):
    message, _ = services.intake_import(
        raw=build_eml(sender="who@nowhere.example", subject="某公司“一站通”会员之声反馈"), source="maildir"
    )
    return message


@pytest.mark.parametrize("name", ALL)
def test_list_and_detail(request, client, triage_message, name):
    user = persona(request, name)
    for url in (reverse("intake:list"), reverse("intake:detail", args=[triage_message.pk])):
        if name in STAFF:
            response = assert_allowed(client, user, url)
            assert "who@nowhere.example" in response.content.decode()
        else:
            assert_denied(client, user, url, codes=(403,))


@pytest.mark.parametrize("name", ALL)
def test_resolve_and_ignore(request, client, triage_message, org_a, name):
    user = persona(request, name)
    resolve = reverse("intake:resolve", args=[triage_message.pk])
    if name in OWNERS:
        assert_allowed(client, user, resolve, method="post", data={"organisation": org_a.pk}, ok=(302,))
        triage_message.refresh_from_db()
        assert triage_message.status == IntakeStatus.TRIAGED
    else:
        assert_denied(client, user, resolve, method="post", data={"organisation": org_a.pk}, codes=(403,))
        assert_denied(
            client,
            user,
            reverse("intake:ignore", args=[triage_message.pk]),
            method="post",
            data={"reason": "x"},
            codes=(403,),
        )
        triage_message.refresh_from_db()
        assert triage_message.status == IntakeStatus.NEW and not FeedbackForm.objects.exists()


def test_ignore_page_flow(client, triage_message, msc_user):
    login(client, msc_user)
    client.post(reverse("intake:ignore", args=[triage_message.pk]), {"reason": ""})
    triage_message.refresh_from_db()
    assert triage_message.status == IntakeStatus.NEW
    client.post(reverse("intake:ignore", args=[triage_message.pk]), {"reason": "广告"})
    triage_message.refresh_from_db()
    assert triage_message.status == IntakeStatus.IGNORED


@pytest.mark.parametrize("name", ALL)
def test_form_download(request, client, name):
    user = persona(request, name)
    url = reverse("intake:form_download")
    if name in STAFF | {"member_a_admin"}:
        response = assert_allowed(client, user, url + "?prefill=1")
        parsed = parse_form(response.content)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        if name == "member_a_admin":
            assert parsed.company == "甲期货有限公司" and parsed.email == user.email
        else:
            assert parsed.company == ""
    else:
        assert_denied(client, user, url, codes=(403,))


@pytest.mark.parametrize("name", ALL)
def test_upload(request, client, official_calendar, org_a, name):
    user = persona(request, name)
    url = reverse("intake:upload")
    if name == "member_a_admin" or name in OWNERS:
        assert_allowed(client, user, url)
        response = assert_allowed(
            client, user, url, method="post", data={"file": docx_upload(filled_form())}, ok=(302,)
        )
        form = FeedbackForm.objects.get()
        assert response["Location"] == form.get_absolute_url() and form.organisation == org_a
    else:
        assert_denied(client, user, url, codes=(403,))
        assert_denied(client, user, url, method="post", data={"file": docx_upload(filled_form())}, codes=(403,))
        assert not FeedbackForm.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("form.docx", b"plain text"),
        ("form.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        ("form.docx", b"PK\x03\x04 broken"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
    ],
)
def test_bad_uploads_show_a_message_not_500(client, official_calendar, member_a_admin, name, content):
    login(client, member_a_admin)
    response = client.post(reverse("intake:upload"), {"file": docx_upload(content, name)})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not FeedbackForm.objects.exists()


def test_other_company_form_shows_the_report(client, official_calendar, member_a_admin, org_b):
    login(client, member_a_admin)
    response = client.post(reverse("intake:upload"), {"file": docx_upload(filled_form(company=org_b.name_zh))})
    assert response.status_code == 200 and "乙期货有限公司" in response.content.decode()
    assert not FeedbackForm.objects.exists()


def test_list_runs_constant_queries(client, official_calendar, msc_user):
    services.intake_import(raw=build_eml(sender="a@x.example", message_id="<a@x>"), source="maildir")
    login(client, msc_user)

    def grow():
        for i in range(3):
            services.intake_import(
                raw=build_eml(
                    sender=f"s{i}@x.example",
                    message_id=f"<m{i}@x>",
                    attachments=[("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
                ),
                source="maildir",
            )

    assert_constant_queries(client, reverse("intake:list") + "?status=", grow)


def test_intake_fetch_command_moves_files_to_done(official_calendar, settings, tmp_path, member_a_admin):
    inbox, done = tmp_path / "inbox", tmp_path / "done"
    inbox.mkdir()
    settings.HUIFU_INTAKE = {**settings.HUIFU_INTAKE, "IMAP_HOST": "", "MAILDIR": inbox, "DONE_DIR": done}
    (inbox / "one.eml").write_bytes(build_eml(sender=member_a_admin.email))
    (inbox / "two.eml").write_bytes(build_eml(sender="x@y.example", message_id="<two@y>"))
    out = io.StringIO()
    call_command("intake_fetch", stdout=out)
    assert "imported 2" in out.getvalue()
    assert sorted(p.name for p in done.iterdir()) == ["one.eml", "two.eml"] and not list(inbox.iterdir())
    shutil.copy(done / "one.eml", inbox / "one.eml")  # the same message dropped in again
    call_command("intake_fetch", stdout=out)
    assert IntakeMessage.objects.count() == 2 and "already imported 1" in out.getvalue()


def test_task_runs_the_fetch(official_calendar, settings, tmp_path):
    from huifu.intake.tasks import intake_fetch

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings.HUIFU_INTAKE = {**settings.HUIFU_INTAKE, "IMAP_HOST": "", "MAILDIR": inbox, "DONE_DIR": tmp_path / "d"}
    (inbox / "m.eml").write_bytes(build_eml(sender="q@q.example"))
    result = intake_fetch.enqueue()
    assert result.return_value["imported"] == 1


def test_docx_parse_of_generated_document_has_no_errors():
    assert Document(io.BytesIO(filled_form())).tables
