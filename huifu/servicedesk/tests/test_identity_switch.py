"""Another exchange's written replies: after loading its profile (data only), the letter's
masthead, issuing department, 文号 prefix and the e-mail carrying it are that exchange's."""

from __future__ import annotations

import subprocess

import pytest
from django.utils import timezone

from huifu.accounts.system import system_actor
from huifu.outbox.delivery import build_email
from huifu.outbox.models import OutboxMessage
from huifu.publicsite.services import exchange_profile_load, profile_read
from huifu.servicedesk import services
from huifu.servicedesk.services.common import china_year

OLD_NAMES = ("上海期货交易所", "上期所", "SHFE", "上海国际能源交易中心", "shfe.com")


@pytest.mark.django_db
def test_a_second_exchange_sends_its_own_letters(submit, coordinator, dept_staff, dept_business, dept_mm, tmp_path):
    year = china_year(timezone.now())
    data, base = profile_read("dce")
    exchange_profile_load(actor=system_actor(), profile=data, base_dir=base, year=year)
    form = submit()
    for item in form.items.all():
        services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
        services.answer_draft(item=item, department=dept_business, text="已研究，将于年内优化。", actor=dept_staff)
    reply = services.reply_approve_send(
        reply=services.reply_compose(form=form, mode="written", actor=coordinator), actor=coordinator
    )
    assert reply.doc_number == f"大商会函〔{year}〕1号"  # the profile's prefix of the coordinating department
    path = tmp_path / "letter.pdf"
    path.write_bytes(reply.letter.file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "大连商品交易所" in text and "大连商品交易所会员服务部" in text and reply.doc_number in text
    assert not [name for name in OLD_NAMES if name in text]
    mail = OutboxMessage.objects.filter(to=form.email).latest("created_at")
    assert "大连商品交易所" in mail.body_text and "0411-84801111" in mail.body_text
    assert "msc@dce.example" in mail.body_text and "https://www.dce.com.cn" in mail.body_text
    assert not [name for name in OLD_NAMES if name in mail.subject + mail.body_text]
    sent = build_email(mail)
    assert sent.from_email.startswith("大商所 ")
