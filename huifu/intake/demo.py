"""Demo intake for ``manage.py seed_demo``: three messages in the MSC mailbox imported through
the real service — one from a known member contact with the Word form attached (becomes a
draft), one GBK-encoded HTML-only mail from an unknown sender (waits in triage), one that is
not feedback. Idempotent: the same messages are recognised by their Message-ID."""

from __future__ import annotations

import base64
import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import IO

from huifu.accounts.models import User, UserKind
from huifu.directory.models import OrganisationKind

from .services import intake_import
from .wordform import CONTENT_TYPE, FormData, form_docx


def _mail(
    *,
    sender: str,
    subject: str,
    message_id: str,
    body: str = "",
    html: str = "",
    charset: str = "utf-8",
    attachment: tuple[str, bytes] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "msc@shfe.com.cn"
    message["Date"] = format_datetime(datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2))
    message["Message-ID"] = message_id
    if html:
        message.set_content(html, subtype="html", charset=charset)
    else:
        message.set_content(body, charset=charset)
    if attachment:
        message.add_attachment(
            attachment[1], maintype="application", subtype=CONTENT_TYPE.split("/")[1], filename=attachment[0]
        )
    encoded = base64.b64encode(subject.encode("gbk")).decode()
    return f"Subject: =?GBK?B?{encoded}?=\r\n".encode() + bytes(message)


def seed(scale: int = 1, stdout: IO[str] | None = None) -> None:  # noqa: ARG001 - fixed sample
    user = (
        User.objects.filter(kind=UserKind.MEMBER, organisation__kind=OrganisationKind.FUTURES_COMPANY, is_active=True)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    imported = 0
    if user is not None:
        org = user.organisation
        docx = form_docx(
            FormData(
                form_date=datetime.date.today(),
                company=org.name_zh,
                contact=user.full_name or "联系人",
                phone=user.phone or "021-68400000",
                email=user.email,
                suggestions=["建议交易所进一步优化期权做市商评价指标。", "建议增加线上培训场次。"],
                help_requests=["希望交易所协助推动解决标准仓单跨省质押登记问题。"],
            )
        )
        raw = _mail(
            sender=f"{user.full_name} <{user.email}>",
            subject=f"{org.name_zh}“一站通”会员之声反馈",
            message_id="<demo-intake-1@huifu.example>",
            body="您好，附件为我司“一站通”会员之声反馈表，请查收。",
            attachment=("“一站通”会员之声反馈表.docx", docx),
        )
        imported += int(intake_import(raw=raw, source="demo")[1])
    raw = _mail(
        sender="王经理 <wang@unknown-futures.example>",
        subject="某某期货公司“一站通”会员之声反馈",
        message_id="<demo-intake-2@huifu.example>",
        charset="gbk",
        html="<p>您好：</p><p>希望向交易所反馈的意见建议：</p><p>1、建议简化开户流程。</p>",
    )
    imported += int(intake_import(raw=raw, source="demo")[1])
    raw = _mail(
        sender="newsletter@vendor.example",
        subject="行业研讨会邀请",
        message_id="<demo-intake-3@huifu.example>",
        body="诚邀参加研讨会。",
    )
    imported += int(intake_import(raw=raw, source="demo")[1])
    if stdout:
        stdout.write(f"intake: {imported} messages imported")
