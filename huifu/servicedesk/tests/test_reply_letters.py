"""Written replies as an exchange sends them: PDF preview, document number (文号) per issuing
department and year, and the optional second approver configured per year."""

from __future__ import annotations

import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from huifu.core.testing.auth import login
from huifu.core.testing.factories import staff_user
from huifu.core.testing.pdfs import assert_pdf_embeds_its_font
from huifu.servicedesk import services
from huifu.servicedesk.models import FeedbackForm, LetterCounter, ReplyLetterSetting, ReplyStatus
from huifu.servicedesk.services.common import china_year


@pytest.fixture
def drafted(submit, coordinator, dept_staff, dept_business):
    """A form of company A with a written reply drafted by the coordinator."""

    def make():
        form = submit()
        for item in form.items.all():
            services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
            services.answer_draft(item=item, department=dept_business, text="已研究，将于年内优化。", actor=dept_staff)
        return services.reply_compose(form=form, mode="written", actor=coordinator)

    return make


@pytest.fixture
def second_coordinator(dept_mm):
    return staff_user(dept_mm, email="coordinator2@shfe.example", full_name="陈复核")


@pytest.fixture
def second_approval_on():
    return ReplyLetterSetting.objects.create(year=china_year(timezone.now()), second_approval=True, doc_prefix="会服函")


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.django_db
def test_sending_gives_gapless_document_numbers_per_department_and_year(drafted, coordinator, dept_mm, tmp_path):
    year = china_year(timezone.now())
    first = services.reply_approve_send(reply=drafted(), actor=coordinator)
    second = services.reply_approve_send(reply=drafted(), actor=coordinator)
    assert (first.doc_serial, second.doc_serial) == (1, 2)
    assert first.doc_number == f"会服函〔{year}〕1号"
    assert first.department == dept_mm
    # No department has its own prefix: the year's default series, shared (department=None).
    assert LetterCounter.objects.get(department=None, year=year).last == 2
    content = first.letter.file.read()
    assert_pdf_embeds_its_font(content)
    text = _pdf_text(content, tmp_path)
    assert f"会服函〔{year}〕1号" in text
    assert "上海期货交易所会员管理部" in text


@pytest.mark.django_db
def test_a_failed_send_gives_its_number_back(drafted, coordinator, dept_mm, monkeypatch):
    reply = drafted()

    def boom(*args, **kwargs):
        raise RuntimeError("mail down")

    monkeypatch.setattr("huifu.servicedesk.services.notify.notify_reply", boom)
    with pytest.raises(RuntimeError):
        services.reply_approve_send(reply=reply, actor=coordinator)
    assert not LetterCounter.objects.filter(last__gt=0).exists()
    monkeypatch.undo()
    reply = services.reply_approve_send(reply=reply, actor=coordinator)
    assert reply.doc_serial == 1


@pytest.mark.django_db
def test_the_prefix_is_data_per_year(drafted, coordinator):
    year = china_year(timezone.now())
    ReplyLetterSetting.objects.create(year=year, doc_prefix="上期会函")
    reply = services.reply_approve_send(reply=drafted(), actor=coordinator)
    assert reply.doc_number == f"上期会函〔{year}〕1号"


def _issued_by(reply, department):
    from huifu.servicedesk.models import Reply

    Reply.objects.filter(pk=reply.pk).update(department=department)
    reply.refresh_from_db()
    return reply


@pytest.mark.django_db
def test_each_department_numbers_its_letters_under_its_own_prefix(
    drafted, coordinator, dept_mm, dept_business, dept_msc, tmp_path
):
    """会服函〔2026〕1号, 2号 for Member Management beside 有色函〔2026〕1号 for the Non-ferrous
    Metals Department; a department without its own prefix issues under the year's default in
    the shared series; the issuing department is printed on the letter."""
    from huifu.servicedesk.models import ReplyLetterPrefix

    year = china_year(timezone.now())
    setting = ReplyLetterSetting.objects.create(year=year, doc_prefix="上期函")
    ReplyLetterPrefix.objects.create(setting=setting, department=dept_mm, doc_prefix="会服函")
    ReplyLetterPrefix.objects.create(setting=setting, department=dept_business, doc_prefix="有色函")
    mm_1 = services.reply_approve_send(reply=_issued_by(drafted(), dept_mm), actor=coordinator)
    business_1 = services.reply_approve_send(reply=_issued_by(drafted(), dept_business), actor=coordinator)
    mm_2 = services.reply_approve_send(reply=_issued_by(drafted(), dept_mm), actor=coordinator)
    shared_1 = services.reply_approve_send(reply=_issued_by(drafted(), dept_msc), actor=coordinator)
    assert [r.doc_number for r in (mm_1, business_1, mm_2, shared_1)] == [
        f"会服函〔{year}〕1号",
        f"有色函〔{year}〕1号",
        f"会服函〔{year}〕2号",
        f"上期函〔{year}〕1号",
    ]
    assert LetterCounter.objects.get(department=dept_business, year=year).last == 1
    assert LetterCounter.objects.get(department=None, year=year).last == 1
    text = _pdf_text(business_1.letter.file.read(), tmp_path)
    assert f"有色函〔{year}〕1号" in text and "有色金属部" in text
    assert services.letter_prefix(setting=setting, department=dept_business) == ("有色函", dept_business)
    assert services.letter_prefix(setting=setting, department=dept_msc) == ("上期函", None)


@pytest.mark.django_db
def test_a_prefix_is_unique_per_department_and_year(dept_mm, dept_business):
    from django.db import IntegrityError, transaction

    from huifu.servicedesk.models import ReplyLetterPrefix

    setting = ReplyLetterSetting.objects.create(year=2031, doc_prefix="上期函")
    ReplyLetterPrefix.objects.create(setting=setting, department=dept_mm, doc_prefix="会服函")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplyLetterPrefix.objects.create(setting=setting, department=dept_business, doc_prefix="会服函")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplyLetterPrefix.objects.create(setting=setting, department=dept_mm, doc_prefix="会员函")


@pytest.mark.django_db
def test_the_preview_shows_the_departments_prefix(drafted, coordinator, dept_mm, tmp_path):
    from huifu.servicedesk.models import ReplyLetterPrefix

    year = china_year(timezone.now())
    setting = ReplyLetterSetting.objects.create(year=year, doc_prefix="上期函")
    ReplyLetterPrefix.objects.create(setting=setting, department=dept_mm, doc_prefix="会服函")
    text = _pdf_text(services.reply_letter_preview(reply=drafted(), actor=coordinator), tmp_path)
    assert f"会服函〔{year}〕" in text and "会员管理部" in text


@pytest.mark.django_db
def test_without_a_second_approver_one_approval_sends(drafted, coordinator):
    reply = services.reply_approve_send(reply=drafted(), actor=coordinator)
    assert reply.status == ReplyStatus.SENT


@pytest.mark.django_db
def test_second_approver_year_waits_then_another_user_approves(
    drafted, coordinator, second_coordinator, second_approval_on
):
    reply = services.reply_approve_send(reply=drafted(), actor=coordinator)
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    assert reply.letter_id is None and reply.doc_number == ""
    assert FeedbackForm.objects.get(pk=reply.form_id).status == "reply_drafted"
    with pytest.raises(ValidationError) as err:
        services.reply_approve_send(reply=reply, actor=coordinator)  # the same person: refused
    assert err.value.code == "own_reply"
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    reply = services.reply_approve_send(reply=reply, actor=second_coordinator)
    assert reply.status == ReplyStatus.SENT
    assert reply.approved_by == second_coordinator and reply.submitted_by == coordinator
    assert reply.doc_serial == 1


@pytest.mark.django_db
def test_second_approver_returns_with_a_reason(drafted, coordinator, second_coordinator, second_approval_on):
    reply = services.reply_approve_send(reply=drafted(), actor=coordinator)
    with pytest.raises(ValidationError):
        services.reply_return(reply=reply, actor=second_coordinator, reason=" ")
    with pytest.raises(ValidationError):
        services.reply_return(reply=reply, actor=coordinator, reason="自己退回")  # own reply
    reply = services.reply_return(reply=reply, actor=second_coordinator, reason="第二项答复需补充时间表")
    assert reply.status == ReplyStatus.DRAFT and reply.returned_reason == "第二项答复需补充时间表"
    # The drafter edits and submits again; the reason is cleared then.
    form = FeedbackForm.objects.get(pk=reply.form_id)
    reply = services.reply_compose(form=form, mode="written", actor=coordinator, text="补充后的答复")
    reply = services.reply_approve_send(reply=reply, actor=coordinator)
    assert reply.status == ReplyStatus.PENDING_APPROVAL and reply.returned_reason == ""


@pytest.mark.django_db
def test_a_pending_reply_cannot_be_edited(drafted, coordinator, second_approval_on):
    reply = services.reply_approve_send(reply=drafted(), actor=coordinator)
    form = FeedbackForm.objects.get(pk=reply.form_id)
    with pytest.raises(ValidationError) as err:
        services.reply_compose(form=form, mode="written", actor=coordinator, text="改")
    assert err.value.code == "pending_approval"


@pytest.mark.django_db
def test_only_an_approver_decides(drafted, coordinator, dept_head, second_approval_on):
    reply = services.reply_approve_send(reply=drafted(), actor=coordinator)
    with pytest.raises(PermissionDenied):
        services.reply_approve_send(reply=reply, actor=dept_head)
    with pytest.raises(PermissionDenied):
        services.reply_return(reply=reply, actor=dept_head, reason="不行")
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING_APPROVAL


@pytest.mark.django_db
def test_pages_preview_submit_approve_and_return(
    client, drafted, coordinator, second_coordinator, member_a_admin, second_approval_on, tmp_path
):
    reply = drafted()
    form_url = reverse("servicedesk:form_detail", args=[reply.form_id])
    preview = reverse("servicedesk:reply_preview", args=[reply.form_id])
    login(client, coordinator)
    response = client.get(preview)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "预览" in _pdf_text(response.content, tmp_path)
    page = client.get(form_url).content.decode()
    assert "提交审批" in page and 'data-testid="preview-letter"' in page
    client.post(reverse("servicedesk:reply_send", args=[reply.form_id]))
    page = client.get(form_url).content.decode()
    assert "待审批" in page and 'data-testid="awaiting-other"' in page and 'data-testid="approve-reply"' not in page
    login(client, second_coordinator)
    page = client.get(form_url).content.decode()
    assert 'data-testid="approve-reply"' in page and 'data-testid="return-reply"' in page
    response = client.post(reverse("servicedesk:reply_return", args=[reply.form_id]), {"reason": ""}, follow=True)
    assert "退回的原因" in response.content.decode()
    client.post(reverse("servicedesk:reply_return", args=[reply.form_id]), {"reason": "请补充"})
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.DRAFT
    # Members never see the preview or an unsent reply.
    login(client, member_a_admin)
    assert client.get(preview).status_code in (403, 404)


@pytest.mark.django_db
def test_reply_letter_settings_in_the_admin_for_member_management(client, coordinator, dept_staff, dept_business):
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    dept_staff.is_staff = True
    dept_staff.save(update_fields=["is_staff"])
    url = reverse("admin:servicedesk_replylettersetting_add")
    login(client, coordinator)
    response = client.post(
        url,
        {
            "year": 2031,
            "second_approval": "on",
            "doc_prefix": "会服函",
            # A department's own prefix, edited on the same page (inline).
            "prefixes-TOTAL_FORMS": "1",
            "prefixes-INITIAL_FORMS": "0",
            "prefixes-0-department": str(dept_business.pk),
            "prefixes-0-doc_prefix": "有色函",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    setting = ReplyLetterSetting.objects.get(year=2031)
    assert setting.second_approval
    assert [(p.department, p.doc_prefix) for p in setting.prefixes.all()] == [(dept_business, "有色函")]
    login(client, dept_staff)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_migration_0009_names_duplicate_numbers_instead_of_failing_bare(drafted, coordinator):
    """An older database may hold one 文号 on two replies (before prefixes were per department).
    The migration that makes numbers unique then stops with the numbers and replies named, and
    changes nothing; with no duplicates it passes. PostgreSQL only: the test drops the constraint
    inside its transaction (undone by the rollback)."""
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("huifu.servicedesk.migrations.0009_unique_document_number")
    first = services.reply_approve_send(reply=drafted(), actor=coordinator)
    second = services.reply_approve_send(reply=drafted(), actor=coordinator)
    migration.refuse_duplicate_numbers(apps, None)  # distinct numbers: nothing to say
    if connection.vendor != "postgresql":
        pytest.skip("needs transactional DDL to drop the constraint inside the test (PostgreSQL)")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred FK checks would block the DDL
        cursor.execute("DROP INDEX servicedesk_unique_document_number")  # a partial unique index
    type(second).objects.filter(pk=second.pk).update(doc_number=first.doc_number)
    with pytest.raises(RuntimeError) as refused:
        migration.refuse_duplicate_numbers(apps, None)
    message = str(refused.value)
    assert first.doc_number in message and f"replies {first.pk}, {second.pk}" in message
    assert "Nothing was changed" in message
