"""Session materials and their compliance review: the pre-check's hints, the workflow and its
history, the reviewer never being the uploader, visibility per audience, withdrawal from page,
file link and API at once, permissions allowed and denied, and bad uploads."""

from __future__ import annotations

import datetime
import io
import zipfile

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings

from huifu.audit.models import AuditEvent
from huifu.core.testing.access import assert_allowed, assert_denied, fetch
from huifu.events import services
from huifu.events.material_checks import find_hints
from huifu.events.models import ComplianceCheckItem, Material, MaterialAudience, MaterialKind, MaterialState
from huifu.events.services import materials as material_services
from huifu.files.models import StoredFile
from huifu.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

ALL_ITEMS = ["risk_disclosure", "no_investment_advice", "no_return_promise", "no_personal_data"]
FUTURE = datetime.date.today() + datetime.timedelta(days=20)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def checklist(db):
    call_command("loaddata", "compliance_checklist", verbosity=0)


def docx_upload(*paragraphs: str, name: str = "讲义.docx") -> SimpleUploadedFile:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def pptx_upload(*slides: str, name: str = "课件.pptx") -> SimpleUploadedFile:
    """A minimal PowerPoint package: the presentation part and one slide part per text."""
    buffer = io.BytesIO()
    ns = (
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", f"<p:presentation {ns}/>")
        for number, text in enumerate(slides, start=1):
            archive.writestr(
                f"ppt/slides/slide{number}.xml", f"<p:sld {ns}><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>"
            )
    return SimpleUploadedFile(name, buffer.getvalue())


def pdf_upload(name: str = "课件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES)


SAFE_TEXT = ("铜产业链年度展望", "风险提示：期货交易有风险，本材料不构成投资建议。")


@pytest.fixture
def future_series(coordinator):
    return services.series_create(actor=coordinator, year=FUTURE.year, kind="monthly_talk", title_zh="资料测试月月谈")


@pytest.fixture
def session(make_session, future_series):
    return make_session(publish=True, capacity=5, date=FUTURE, series=future_series)


@pytest.fixture
def make_material(session, dept_staff):
    def make(*, actor=None, audience=MaterialAudience.PUBLIC, kind=MaterialKind.HANDOUT, upload=None, link="", **kw):
        if upload is None and not link:
            upload = docx_upload(*SAFE_TEXT)
        return material_services.material_create(
            actor=actor or dept_staff,
            session=kw.pop("on", session),
            kind=kind,
            title=kw.pop("title", "铜产业链讲义"),
            audience=audience,
            upload=upload,
            link=link,
        )

    return make


def published(material, reviewer):
    material = material_services.material_submit(actor=material.uploaded_by, material=material)
    return material_services.material_approve(actor=reviewer, material=material, ticked=ALL_ITEMS)


# --- the pre-check ---------------------------------------------------------------------------------


def test_precheck_reads_word_and_flags_advice_phrases(make_material):
    material = make_material(upload=docx_upload("本周铜价目标价 80000 元，建议买入。", "稳 赚 不赔，保本。"))
    hints = material.precheck
    assert hints["read"] == "docx"
    assert hints["disclosure"] == []
    phrases = [hit["phrase"] for hit in hints["advice"]]
    assert phrases == ["建议买入", "目标价", "稳赚", "保本"]
    assert "80000" in next(hit["context"] for hit in hints["advice"] if hit["phrase"] == "目标价")
    # Hints only: the material stays a draft, nothing is approved automatically.
    assert material.state == MaterialState.DRAFT and material.reviewed_by is None


def test_precheck_reads_powerpoint_slides_and_finds_disclosure(make_material):
    material = make_material(kind=MaterialKind.SLIDES, upload=pptx_upload("铜市场回顾", "投资有风险，入市需谨慎"))
    assert material.precheck["read"] == "pptx"
    assert material.precheck["disclosure"] == ["投资有风险", "入市需谨慎"]
    assert material.precheck["advice"] == []


def text_pdf(*pages: str) -> bytes:
    """A PDF with a Chinese text layer (the kit's embedded font), one page per text."""
    from reportlab.platypus import PageBreak

    from huifu.core import pdf

    story: list = []
    for number, text in enumerate(pages):
        story += [PageBreak()] if number else []
        story.append(pdf.para(text))
    return pdf.build(story)


def test_precheck_reads_the_text_of_a_pdf(make_material):
    data = text_pdf("铜产业链年度展望", "风险提示：期货交易有风险。", "沪铜目标价 80000 元，建议买入。")
    material = make_material(kind=MaterialKind.SLIDES, upload=SimpleUploadedFile("课件.pdf", data))
    hints = material.precheck
    assert (hints["read"], hints["reason"], hints["pages"], hints["pages_read"]) == ("pdf", "", 3, 3)
    assert hints["disclosure"] == ["风险提示"]
    assert [hit["phrase"] for hit in hints["advice"]] == ["建议买入", "目标价"]
    safe = make_material(kind=MaterialKind.SLIDES, upload=SimpleUploadedFile("讲义.pdf", text_pdf(*SAFE_TEXT)))
    assert safe.precheck["read"] == "pdf" and safe.precheck["advice"] == []
    assert safe.precheck["disclosure"] == ["风险提示", "不构成投资建议"]


def test_precheck_of_a_long_pdf_says_how_far_it_read(make_material, monkeypatch, client, coordinator):
    from huifu.events import material_checks

    monkeypatch.setattr(material_checks, "MAX_PDF_PAGES", 2)
    data = text_pdf("风险提示：期货交易有风险。", "铜价回顾与展望", "第三页：保证收益")
    material = make_material(kind=MaterialKind.SLIDES, upload=SimpleUploadedFile("长课件.pdf", data))
    hints = material.precheck
    assert (hints["read"], hints["reason"], hints["pages"], hints["pages_read"]) == ("pdf", "pdf_partial", 3, 2)
    assert hints["advice"] == []  # page 3 was not read, and the page says so
    page = fetch(client, coordinator, f"/events/materials/{material.pk}/").content.decode()
    assert "只读取了前 2 页（共 3 页）" in page


def test_precheck_lists_pages_without_text(make_material, client, coordinator):
    """One page of text and two scanned pages: read, but the reviewer is told which pages to read."""
    data = text_pdf("风险提示：期货交易有风险，本材料不构成投资建议。", " ", " ")
    material = make_material(kind=MaterialKind.SLIDES, upload=SimpleUploadedFile("扫描讲义.pdf", data))
    hints = material.precheck
    assert hints["read"] == "pdf" and hints["pages_without_text"] == [2, 3]
    assert hints["pages_without_text_count"] == 2
    page = fetch(client, coordinator, f"/events/materials/{material.pk}/").content.decode()
    assert "有 2 页没有文字层（可能是扫描件），页码 2、3，请人工审阅。" in page


def test_precheck_work_on_a_pdf_is_bounded(monkeypatch):
    """A crafted PDF cannot hold the upload request: a page with too much content is not parsed,
    and reading stops at the total content or time limit; the result says how far it read."""
    from huifu.events import material_checks

    data = text_pdf("风险提示：期货交易有风险。" * 3, "第二页：铜价回顾与展望。" * 3, "第三页：保证收益。" * 3)
    monkeypatch.setattr(material_checks, "MAX_PDF_PAGE_CONTENT_BYTES", 50)
    hints = material_checks.precheck(kind_code="pdf", file=io.BytesIO(data))
    assert (hints["read"], hints["reason"], hints["pages_read"]) == ("none", "unreadable", 0)
    monkeypatch.setattr(material_checks, "MAX_PDF_PAGE_CONTENT_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(material_checks, "MAX_PDF_SECONDS", 0.0)  # the time limit: after one page
    hints = material_checks.precheck(kind_code="pdf", file=io.BytesIO(data))
    assert (hints["read"], hints["reason"], hints["pages"], hints["pages_read"]) == ("pdf", "pdf_partial", 3, 1)
    assert hints["advice"] == []  # 保证收益 is on page 3, which was not read (and the note says so)
    monkeypatch.setattr(material_checks, "MAX_PDF_SECONDS", 8.0)
    monkeypatch.setattr(material_checks, "MAX_PDF_CONTENT_BYTES", 1)  # the total limit: before any page
    assert material_checks.precheck(kind_code="pdf", file=io.BytesIO(data))["pages_read"] == 0


def test_precheck_says_what_it_could_not_read(make_material, client, coordinator):
    from reportlab.platypus import Spacer

    from huifu.core import pdf as kit_pdf

    scanned = SimpleUploadedFile("扫描件.pdf", kit_pdf.build([Spacer(10, 10)]))  # pages without text
    pdf = make_material(kind=MaterialKind.SLIDES, upload=scanned)
    assert pdf.precheck["read"] == "none" and pdf.precheck["reason"] == "pdf_no_text"
    page = fetch(client, coordinator, f"/events/materials/{pdf.pk}/").content.decode()
    assert "没有文字层" in page
    damaged = make_material(kind=MaterialKind.SLIDES, upload=pdf_upload())  # no cross-reference table
    assert damaged.precheck["read"] == "none" and damaged.precheck["reason"] == "unreadable"
    replay = make_material(kind=MaterialKind.RECORDING, link="https://live.example.com/replay/42")
    assert replay.precheck["reason"] == "recording" and replay.file is None


def test_find_hints_limits_hits_and_ignores_spaces():
    hints = find_hints("目 标 价" * 9 + "风险\n揭示")
    assert len(hints["advice"]) == 5
    assert hints["disclosure"] == ["风险揭示"]


# --- the workflow ----------------------------------------------------------------------------------


def test_submit_approve_publishes_with_history(make_material, dept_staff, coordinator):
    material = make_material()
    material = material_services.material_submit(actor=dept_staff, material=material)
    assert material.state == MaterialState.SUBMITTED and material.submitted_at is not None
    material = material_services.material_approve(actor=coordinator, material=material, ticked=ALL_ITEMS, note="可发布")
    assert material.state == MaterialState.APPROVED
    assert material.reviewed_by == coordinator and material.published_at is not None
    assert [item["ticked"] for item in material.checklist] == [True] * 4
    events = AuditEvent.objects.filter(target_id=str(material.pk), target_type__model="material").order_by("pk")
    assert [e.action for e in events] == ["create", "transition", "transition"]
    assert [e.changes.get("status") for e in events[1:]] == [["draft", "submitted"], ["submitted", "approved"]]
    assert events.last().actor == coordinator  # ordered by pk above and events.last().message == "可发布"
    mail = OutboxMessage.objects.get(to=dept_staff.email)
    assert "已审核通过并发布" in mail.body_text and "审核意见：可发布" in mail.body_text
    assert material.title in mail.subject


def test_return_needs_reason_then_edit_and_resubmit(make_material, dept_staff, msc_user):
    material = material_services.material_submit(actor=dept_staff, material=make_material())
    with pytest.raises(ValidationError) as exc:
        material_services.material_return(actor=msc_user, material=material, reason="  ")
    assert "reason" in exc.value.message_dict
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    material = material_services.material_return(actor=msc_user, material=material, reason="缺少风险提示")
    assert material.state == MaterialState.RETURNED and material.review_note == "缺少风险提示"
    returned = OutboxMessage.objects.get(to=dept_staff.email)
    assert "已退回" in returned.body_text and "审核意见：缺少风险提示" in returned.body_text
    old_file = material.file_id
    material = material_services.material_update(
        actor=dept_staff, material=material, title="铜讲义（修订）", audience="public", upload=docx_upload(*SAFE_TEXT)
    )
    assert material.file_id != old_file and material.precheck["disclosure"]
    material = material_services.material_submit(actor=dept_staff, material=material)
    material = material_services.material_approve(actor=msc_user, material=material, ticked=ALL_ITEMS)
    assert material.state == MaterialState.APPROVED
    history = AuditEvent.objects.filter(target_id=str(material.pk), target_type__model="material")
    assert history.filter(action="update").count() == 1 and history.filter(action="transition").count() == 4


def test_uploader_cannot_approve_own_material(make_material, coordinator, msc_user, client):
    material = make_material(actor=coordinator)
    material = material_services.material_submit(actor=coordinator, material=material)
    with pytest.raises(ValidationError) as exc:
        material_services.material_approve(actor=coordinator, material=material, ticked=ALL_ITEMS)
    assert exc.value.code == "own_material"
    with pytest.raises(ValidationError):
        material_services.material_return(actor=coordinator, material=material, reason="自己退回")
    # Through the page too: the review form is not offered, a forged POST changes nothing.
    page = fetch(client, coordinator, material.get_absolute_url())
    assert "另一位审核人" in page.content.decode() and 'value="approve"' not in page.content.decode()
    url = f"/events/materials/{material.pk}/review/"
    response = client.post(url, {"decision": "approve", "ticked": ALL_ITEMS})
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED and material.reviewed_by is None
    # Another reviewer may.
    assert material_services.material_approve(actor=msc_user, material=material, ticked=ALL_ITEMS).is_published


def test_database_refuses_reviewer_equal_to_uploader(make_material, dept_staff):
    material = make_material()
    with pytest.raises(IntegrityError), transaction.atomic():
        Material.objects.filter(pk=material.pk).update(reviewed_by=dept_staff)


def test_approval_needs_every_checklist_item(make_material, dept_staff, coordinator):
    material = material_services.material_submit(actor=dept_staff, material=make_material())
    with pytest.raises(ValidationError) as exc:
        material_services.material_approve(actor=coordinator, material=material, ticked=ALL_ITEMS[:3])
    assert exc.value.code == "checklist_incomplete"
    assert "不含客户个人信息" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        material_services.material_approve(actor=coordinator, material=material, ticked=[*ALL_ITEMS, "made_up"])
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED and material.published_at is None


def test_checklist_is_data(make_material, dept_staff, coordinator):
    ComplianceCheckItem.objects.create(code="speaker_consent", label_zh="已取得讲者发布同意", sort_order=50)
    material = material_services.material_submit(actor=dept_staff, material=make_material())
    with pytest.raises(ValidationError):
        material_services.material_approve(actor=coordinator, material=material, ticked=ALL_ITEMS)
    approved = material_services.material_approve(
        actor=coordinator, material=material, ticked=[*ALL_ITEMS, "speaker_consent"]
    )
    assert approved.checklist[-1] == {"code": "speaker_consent", "label": "已取得讲者发布同意", "ticked": True}
    ComplianceCheckItem.objects.all().delete()
    other = material_services.material_submit(actor=dept_staff, material=make_material(title="第二份"))
    with pytest.raises(ValidationError) as exc:
        material_services.material_approve(actor=coordinator, material=other, ticked=[])
    assert exc.value.code == "no_checklist"


def test_illegal_transitions(make_material, dept_staff, coordinator):
    material = make_material()
    with pytest.raises(ValidationError) as exc:
        material_services.material_approve(actor=coordinator, material=material, ticked=ALL_ITEMS)
    assert exc.value.code == "illegal_transition"
    material = material_services.material_withdraw(actor=dept_staff, material=material)
    for call in (
        lambda: material_services.material_submit(actor=dept_staff, material=material),
        lambda: material_services.material_withdraw(actor=dept_staff, material=material),
    ):
        with pytest.raises(ValidationError):
            call()
    approved = published(make_material(title="已发布"), coordinator)
    with pytest.raises(ValidationError):
        material_services.material_update(actor=dept_staff, material=approved, title="改", audience="public")


def test_non_reviewers_cannot_review(make_material, dept_staff, university_user, training_session):
    material = make_material(on=training_session, actor=university_user)
    material = material_services.material_submit(actor=university_user, material=material)
    for actor in (dept_staff, university_user):
        with pytest.raises(PermissionDenied):
            material_services.material_approve(actor=actor, material=material, ticked=ALL_ITEMS)
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED


# --- who sees what -------------------------------------------------------------------------------


def test_public_page_lists_published_materials_by_audience(
    client, session, make_material, coordinator, public_user, member_a_admin, member_b_admin
):
    services.registration_create(actor=public_user, session=session)  # confirmed (seats free)
    public = published(make_material(title="公开讲义"), coordinator)
    registered = published(make_material(title="报名者课件", audience=MaterialAudience.REGISTERED), coordinator)
    members = published(make_material(title="会员专享", audience=MaterialAudience.MEMBERS), coordinator)
    make_material(title="草稿讲义")  # a draft is never shown
    material_services.material_submit(actor=public.uploaded_by, material=make_material(title="待审讲义"))
    url = session.get_public_url()

    def titles(user):
        body = fetch(client, user, url).content.decode()
        return {m.title for m in (public, registered, members) if m.title in body} | (
            {"草稿讲义"} if "草稿讲义" in body or "待审讲义" in body else set()
        )

    assert titles(None) == {"公开讲义"}
    assert titles(public_user) == {"公开讲义", "报名者课件"}
    assert titles(member_a_admin) == {"公开讲义", "会员专享"}
    assert titles(member_b_admin) == {"公开讲义", "会员专享"}
    for user, material, code in (
        (None, public, 200),
        (None, registered, 404),
        (member_b_admin, registered, 404),
        (public_user, registered, 200),
        (public_user, members, 404),
        (member_a_admin, members, 200),
    ):
        response = fetch(client, user, material.get_download_url())
        assert response.status_code == code, (user, material.title, response.status_code)


def test_waitlisted_person_does_not_see_registered_materials(
    client, make_session, make_material, coordinator, future_series
):
    from huifu.core.testing.factories import UserFactory

    small = make_session(publish=True, capacity=1, title="小班", date=FUTURE, series=future_series)
    first, second = UserFactory(email="one@example.com"), UserFactory(email="two@example.com")
    services.registration_create(actor=first, session=small)
    services.registration_create(actor=second, session=small)  # waiting list
    material = published(make_material(on=small, audience=MaterialAudience.REGISTERED), coordinator)
    assert fetch(client, first, material.get_download_url()).status_code == 200
    assert fetch(client, second, material.get_download_url()).status_code == 404


def test_draft_file_is_private(client, make_material, public_user, member_a_admin, university_user):
    material = make_material()
    for user in (None, public_user, member_a_admin, university_user):
        assert fetch(client, user, material.get_download_url()).status_code == 404
    assert fetch(client, public_user, f"/files/{material.file_id}/").status_code == 404


def test_withdrawn_material_disappears_from_page_files_and_api(
    client, session, make_material, coordinator, dept_staff, public_user
):
    services.registration_create(actor=public_user, session=session)
    material = published(make_material(title="即将撤回的讲义", audience=MaterialAudience.REGISTERED), coordinator)
    page, file_url, direct = session.get_public_url(), material.get_download_url(), f"/files/{material.file_id}/"
    api = f"/api/v1/events/sessions/{session.pk}/materials/"
    assert "即将撤回的讲义" in fetch(client, public_user, page).content.decode()
    response = fetch(client, public_user, file_url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")
    assert response["Cache-Control"] == "private, no-store"
    assert fetch(client, public_user, direct).status_code == 200
    assert [m["title"] for m in fetch(client, public_user, api).json()] == ["即将撤回的讲义"]

    material_services.material_withdraw(actor=dept_staff, material=material, reason="讲者要求撤回")

    assert "即将撤回的讲义" not in fetch(client, public_user, page).content.decode()
    assert fetch(client, public_user, file_url).status_code == 404
    assert fetch(client, public_user, direct).status_code == 404
    assert fetch(client, public_user, api).json() == []
    event = AuditEvent.objects.filter(target_id=str(material.pk), target_type__model="material").order_by("pk").last()
    assert event.changes["status"] == ["approved", "withdrawn"] and event.message == "讲者要求撤回"


def test_materials_of_an_unpublished_session_are_not_public(client, session, make_material, coordinator):
    material = published(make_material(), coordinator)
    services.session_withdraw(actor=coordinator, session=session)
    assert fetch(client, None, material.get_download_url()).status_code == 404
    assert fetch(client, None, f"/api/v1/events/sessions/{session.pk}/materials/").status_code in (401, 404)


# --- permissions on the pages --------------------------------------------------------------------


def test_upload_page_permissions(
    client, training_session, dept_staff, university_user, other_university_user, member_b_admin, public_user
):
    url = f"/events/sessions/{training_session.pk}/materials/new/"
    assert_denied(client, None, url)
    for user in (other_university_user, member_b_admin, public_user):
        assert_denied(client, user, url)
        assert_denied(
            client, user, url, "post", {"kind": "handout", "title": "x", "audience": "public", "upload": docx_upload()}
        )
    assert not Material.objects.exists()
    assert_allowed(client, dept_staff, url)
    response = assert_allowed(
        client,
        university_user,
        url,
        "post",
        {"kind": "handout", "title": "合规培训讲义", "audience": "registered", "upload": docx_upload(*SAFE_TEXT)},
        ok=(302,),
    )
    material = Material.objects.get()
    assert response["Location"] == material.get_absolute_url()
    assert material.uploaded_by == university_user and material.state == MaterialState.DRAFT


def test_material_pages_permissions(
    client,
    training_session,
    make_material,
    university_user,
    other_university_user,
    member_b_admin,
    dept_staff,
    coordinator,
):
    material = make_material(on=training_session, actor=university_user)
    detail = material.get_absolute_url()
    actions = [f"/events/materials/{material.pk}/{verb}/" for verb in ("submit", "withdraw")]
    assert_denied(client, None, detail)
    for user in (other_university_user, member_b_admin):
        assert_denied(client, user, detail)
        for url in actions:
            assert_denied(client, user, url, "post")
    material.refresh_from_db()
    assert material.state == MaterialState.DRAFT
    assert_allowed(client, university_user, detail)
    assert_allowed(client, university_user, actions[0], "post", ok=(302,))
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    review = f"/events/materials/{material.pk}/review/"
    data = {"decision": "approve", "ticked": ALL_ITEMS}
    for user in (university_user, dept_staff):
        assert_denied(client, user, review, "post", data)
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    assert_denied(client, university_user, "/events/materials/review/")
    assert "合规" in assert_allowed(client, coordinator, "/events/materials/review/").content.decode()
    assert_allowed(client, coordinator, review, "post", data, ok=(302,))
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED and material.reviewed_by == coordinator


def test_review_page_shows_hints_and_checklist(client, make_material, dept_staff, coordinator):
    material = make_material(upload=docx_upload("目标价 9 万，建议买入"))
    material_services.material_submit(actor=dept_staff, material=material)
    body = fetch(client, coordinator, material.get_absolute_url()).content.decode()
    assert "未发现风险提示用语" in body and "建议买入" in body and "目标价" in body
    assert "不含客户个人信息" in body and 'value="approve"' in body and 'value="return"' in body
    response = client.post(f"/events/materials/{material.pk}/review/", {"decision": "approve", "ticked": ALL_ITEMS[:1]})
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    messages = fetch(client, coordinator, material.get_absolute_url()).content.decode()
    assert "未勾选" in messages or material.state == MaterialState.SUBMITTED


# --- bad input -----------------------------------------------------------------------------------


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode"
)


@pytest.mark.parametrize(
    "upload, kind, expected",
    [
        (lambda: SimpleUploadedFile("空.pdf", b""), "slides", "是空文件"),
        (lambda: SimpleUploadedFile("setup.pdf", EXE), "slides", "不是允许上传的文件类型"),
        (lambda: docx_upload(*SAFE_TEXT, name="讲义.docx"), "slides", "不是允许上传的文件类型"),
        (lambda: SimpleUploadedFile("讲义.docx", PDF_BYTES), "handout", "PDF"),
        (lambda: SimpleUploadedFile("录像.mp4", PDF_BYTES), "recording", "不是允许上传的文件类型"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(client, session, dept_staff, upload, kind, expected):
    url = f"/events/sessions/{session.pk}/materials/new/"
    response = fetch(
        client, dept_staff, url, "post", {"kind": kind, "title": "坏文件", "audience": "public", "upload": upload()}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert expected in body, body[body.find("errorlist") - 200 : body.find("errorlist") + 600]
    assert not Material.objects.exists() and not StoredFile.objects.exists()


@override_settings(HUIFU_UPLOAD_MAX_BYTES=1024)
def test_oversized_upload_is_refused(client, session, dept_staff):
    url = f"/events/sessions/{session.pk}/materials/new/"
    big = SimpleUploadedFile("大文件.pdf", PDF_BYTES + b"0" * 2048)
    response = fetch(
        client, dept_staff, url, "post", {"kind": "slides", "title": "大", "audience": "public", "upload": big}
    )
    assert response.status_code == 200 and "上限" in response.content.decode()
    assert not Material.objects.exists() and not StoredFile.objects.exists()


def test_missing_or_conflicting_fields(client, session, dept_staff):
    url = f"/events/sessions/{session.pk}/materials/new/"
    cases = [
        ({"kind": "slides", "title": "无文件", "audience": "public"}, "请选择要上传的文件"),
        ({"kind": "slides", "title": "链接", "audience": "public", "link": "https://x.example/r"}, "只有录像"),
        ({"kind": "recording", "title": "录像", "audience": "public", "link": "javascript:alert(1)"}, "https://"),
        ({"kind": "recording", "title": "", "audience": "public", "link": "https://x.example/r"}, "必填项"),
        (
            {"kind": "recording", "title": "录像", "audience": "everyone", "link": "https://x.example/r"},
            "选择一个有效的选项",
        ),
    ]
    for data, expected in cases:
        response = fetch(client, dept_staff, url, "post", data)
        assert response.status_code == 200 and expected in response.content.decode(), (data, expected)
    both = {
        "kind": "recording",
        "title": "两者",
        "audience": "public",
        "link": "https://x.example/r",
        "upload": pdf_upload(),
    }
    response = fetch(client, dept_staff, url, "post", both)
    assert response.status_code == 200 and "不能同时" in response.content.decode()
    # The file is kept for the next submission (huifu.files.kept), never attached to anything.
    assert not Material.objects.exists() and not StoredFile.objects.exclude(purpose="kept_upload").exists()
    assert "（保留）" in response.content.decode()


def test_cancelled_session_takes_no_material(make_session, coordinator, dept_staff):
    session = make_session(publish=True)
    services.session_cancel(actor=coordinator, session=session, reason="讲者临时有事")
    with pytest.raises(ValidationError) as exc:
        material_services.material_create(
            actor=dept_staff, session=session, kind="handout", title="x", audience="public", upload=docx_upload()
        )
    assert exc.value.code == "session_cancelled"


# --- query counts --------------------------------------------------------------------------------


def test_material_lists_have_constant_queries(client, session, make_material, coordinator, dept_staff, public_user):
    from huifu.core.testing.access import assert_constant_queries

    services.registration_create(actor=public_user, session=session)
    published(make_material(title="首份"), coordinator)
    material_services.material_submit(actor=dept_staff, material=make_material(title="待审首份"))

    def grow():
        for audience in MaterialAudience.values:
            published(make_material(audience=audience, title=f"资料{audience}"), coordinator)
            material_services.material_submit(actor=dept_staff, material=make_material(title=f"待审{audience}"))

    fetch(client, public_user, session.get_public_url())
    assert_constant_queries(client, session.get_public_url(), grow)
    fetch(client, coordinator, session.get_absolute_url())
    assert_constant_queries(client, session.get_absolute_url(), grow)
    assert_constant_queries(client, "/events/materials/review/", grow)
    client.logout()
    assert_constant_queries(client, session.get_public_url(), grow)
