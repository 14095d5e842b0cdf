"""Conflict recusal (a team member's former employer) on every surface, and blind mode leaking
none of the hidden fields, file metadata included."""

from __future__ import annotations

import datetime
import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from huifu.core.testing.auth import login
from huifu.notifications.models import Notification
from huifu.selections import services
from huifu.selections.models import Conflict, ConflictState, PhaseKind

from .conftest import move_to, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def recused_case(manager, team_category, judge_staff, judge_expert, org_a, org_c, member_a_admin, confirmed):
    """The staff judge worked for 丙期货 until last year; 甲's team has a member who left 丙期货
    half a year ago: the judge is recused from 甲's application although 甲 never employed them."""
    services.panel_member_add(actor=manager, category=team_category, user=judge_staff)
    services.panel_member_add(actor=manager, category=team_category, user=judge_expert, role="chair")
    services.judge_employment_add(
        actor=manager,
        user=judge_staff,
        organisation=org_c,
        started_on=datetime.date(2016, 3, 1),
        ended_on=timezone.localdate() - datetime.timedelta(days=300),
    )
    members = team(
        ("张伟", "Z0000001"),
        ("李娜", "Z0000002"),
        former=org_c,
        former_until=timezone.localdate() - datetime.timedelta(days=180),
    )
    application = confirmed(team_category, members, team_name="甲黑色金属研究团队")
    return application


def test_team_members_former_employer_recuses_the_judge(recused_case, judge_staff):
    conflict = Conflict.objects.get(panel_member__user=judge_staff)
    assert conflict.application_id == recused_case.pk
    assert conflict.state == ConflictState.SUGGESTED


def test_employment_older_than_n_years_does_not_conflict(manager, team_category, judge_staff, org_a, confirmed):
    services.panel_member_add(actor=manager, category=team_category, user=judge_staff)
    services.judge_employment_add(
        actor=manager,
        user=judge_staff,
        organisation=org_a,
        started_on=datetime.date(2005, 1, 1),
        ended_on=datetime.date(2010, 1, 1),
    )
    confirmed(team_category, team(("张伟", "Z0000001"), ("李娜", "Z0000002")))
    assert not Conflict.objects.exists()


def test_recused_judge_sees_it_nowhere(
    recused_case, selection, judge_staff, judge_expert, manager, member_a_admin, client
):
    move_to(selection, PhaseKind.UPLOAD)
    services.material_add(
        actor=member_a_admin,
        application=recused_case,
        upload=SimpleUploadedFile("report.pdf", _pdf_with_author()),
        title="研究报告",
    )
    move_to(selection, PhaseKind.SCORING)
    services.scores_submit(actor=judge_expert, application_id=recused_case.pk, values={"research": 80, "service": 85})
    login(client, judge_staff)
    pk = recused_case.pk
    secret = ["甲黑色金属研究团队", recused_case.blind_code, recused_case.reference, "张伟"]
    pages = [
        reverse("selections:index"),
        reverse("selections:judging"),
        reverse("api-selections-list"),
        "/audit/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        for word in secret:
            assert word not in body, (url, word)
    assert client.get(reverse("selections:application", args=[pk])).status_code == 404
    assert client.get(reverse("api-selections-detail", args=[pk])).status_code == 404
    assert client.get(f"/audit/selections/application/{pk}/").status_code == 404
    # nor its materials by the file's id (the files app lets staff read files, not these)
    file_id = recused_case.materials.get().file_id
    assert client.get(reverse("files:download", args=[file_id])).status_code == 404
    login(client, judge_expert)
    assert client.get(reverse("files:download", args=[file_id])).status_code == 200
    login(client, judge_staff)
    book = load_workbook(io.BytesIO(client.get(reverse("selections:judging_export")).content))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
    for word in secret:
        assert word not in cells
    for note in Notification.objects.filter(recipient=judge_staff):
        assert recused_case.blind_code not in str(note.params)
    # the judge who is not recused was told, by anonymous code only
    told = Notification.objects.filter(recipient=judge_expert, params__code=recused_case.blind_code)
    assert told.filter(message__contains="ready for judging").exists()
    for note in told:
        assert "甲" not in str(note.params) and "张伟" not in note.text


def test_chair_dismisses_with_reason_then_judge_may_judge(recused_case, judge_staff, judge_expert, client):
    conflict = Conflict.objects.get(panel_member__user=judge_staff)
    login(client, judge_expert)
    page = client.get(reverse("selections:conflicts", args=[recused_case.category_id]))
    assert page.status_code == 200 and recused_case.blind_code in page.content.decode()
    response = client.post(
        reverse("selections:conflict_decide", args=[conflict.pk]), {"decision": "dismiss", "reason": ""}
    )
    conflict.refresh_from_db()
    assert conflict.state == ConflictState.SUGGESTED  # no reason: nothing decided
    client.post(
        reverse("selections:conflict_decide", args=[conflict.pk]),
        {"decision": "dismiss", "reason": "离职已满两年且不涉及该团队"},
    )
    conflict.refresh_from_db()
    assert conflict.state == ConflictState.DISMISSED and conflict.decided_by == judge_expert
    login(client, judge_staff)
    assert client.get(reverse("selections:application", args=[recused_case.pk])).status_code == 200
    assert response.status_code == 302


def test_the_conflicted_judge_cannot_decide_own_conflict(recused_case, judge_staff, client):
    conflict = Conflict.objects.get(panel_member__user=judge_staff)
    login(client, judge_staff)
    assert client.get(reverse("selections:conflicts", args=[recused_case.category_id])).status_code == 404
    response = client.post(
        reverse("selections:conflict_decide", args=[conflict.pk]), {"decision": "dismiss", "reason": "x"}
    )
    assert response.status_code == 404
    conflict.refresh_from_db()
    assert conflict.state == ConflictState.SUGGESTED


def _docx_with_author() -> bytes:
    document = docx.Document()
    document.add_paragraph("铜期货套期保值服务报告")
    document.core_properties.author = "张伟"
    document.core_properties.last_modified_by = "张伟"
    buffer = io.BytesIO()
    document.save(buffer)
    # Word writes the company into docProps/app.xml
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = data.replace(b"</Properties>", "<Company>甲期货有限公司</Company></Properties>".encode())
            target.writestr(item, data)
    return out.getvalue()


def _pdf_with_author() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setAuthor("张伟")
    pdf.setCreator("甲期货有限公司")
    pdf.setTitle("张伟的研究报告")
    pdf.drawString(100, 700, "report")
    pdf.save()
    return buffer.getvalue()


def test_blind_mode_hides_names_everywhere(
    selection, blind_category, manager, judge_expert, member_a_admin, confirmed, client
):
    services.panel_member_add(actor=manager, category=blind_category, user=judge_expert)
    application = confirmed(blind_category, [{"full_name": "张伟", "certificate_no": "Z0000001"}])
    move_to(selection, PhaseKind.UPLOAD)
    services.material_add(
        actor=member_a_admin,
        application=application,
        upload=SimpleUploadedFile("张伟-研究报告.docx", _docx_with_author()),
        title="张伟的铜研究报告",
    )
    services.material_add(
        actor=member_a_admin,
        application=application,
        upload=SimpleUploadedFile("张伟.pdf", _pdf_with_author()),
        title="甲期货材料",
    )
    move_to(selection, PhaseKind.SCORING)
    login(client, judge_expert)
    hidden = ["张伟", "甲期货", "Z0000001", application.reference]
    urls = [
        reverse("selections:application", args=[application.pk]),
        reverse("selections:judging"),
        reverse("api-selections-list"),
        reverse("api-selections-detail", args=[application.pk]),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert application.blind_code in body, url
        for word in hidden:
            assert word not in body, (url, word)
    for material in application.materials.select_related("file"):
        response = client.get(reverse("files:download", args=[material.file.pk]))
        assert response.status_code == 200
        data = b"".join(response.streaming_content) if response.streaming else response.content
        assert "张伟" not in response["Content-Disposition"]
        for word in ("张伟", "甲期货"):
            assert word.encode("utf-8") not in data
            assert word.encode("utf-16-be") not in data
        if material.file.original_name.endswith(".docx"):
            archive = zipfile.ZipFile(io.BytesIO(data))
            for name in ("docProps/core.xml", "docProps/app.xml"):
                text = archive.read(name).decode()
                assert "张伟" not in text and "甲期货" not in text
            assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "铜期货套期保值服务报告"
        else:
            from pypdf import PdfReader

            assert not PdfReader(io.BytesIO(data)).metadata
    book = load_workbook(io.BytesIO(client.get(reverse("selections:judging_export")).content))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
    assert application.blind_code in cells
    for word in hidden:
        assert word not in cells
    # the company itself still sees its names
    login(client, member_a_admin)
    assert "张伟" in client.get(reverse("selections:application", args=[application.pk])).content.decode()


def test_a_declared_relation_recuses(manager, team_category, judge_expert, org_a, confirmed, client):
    services.panel_member_add(actor=manager, category=team_category, user=judge_expert)
    application = confirmed(team_category, team(("张伟", "Z0000001"), ("李娜", "Z0000002")))
    login(client, judge_expert)
    assert client.get(reverse("selections:application", args=[application.pk])).status_code == 200
    client.post(reverse("selections:declare"), {"organisation": org_a.pk, "note": ""})
    assert not Conflict.objects.exists()  # no relation named: nothing declared
    client.post(reverse("selections:declare"), {"organisation": org_a.pk, "note": "配偶在该公司任职"})
    conflict = Conflict.objects.get()
    assert conflict.source == "declared" and conflict.application == application
    assert client.get(reverse("selections:application", args=[application.pk])).status_code == 404
