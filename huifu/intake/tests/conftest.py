"""Intake fixtures: Word forms filled programmatically and hand-built .eml messages."""

from __future__ import annotations

import base64
import datetime
import io
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from huifu.intake.wordform import FormData, form_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUBJECT_A = "甲期货有限公司“一站通”会员之声反馈"


def filled_form(
    company="甲期货有限公司",
    contact="张三",
    phone="021-68400000",
    email="zhang@alpha.example",
    date_text="2023年10月09日",
    serial="001",
    suggestions=None,
    help_requests=None,
    numbering=("{n}．", "{n}、"),
    help_numbering=("（{n}）", "{c}"),
) -> bytes:
    """Take the blank generated form and type into it like a person would."""
    document = Document(io.BytesIO(form_docx(FormData(year=2023))))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("编号"):
            paragraph.runs[1].text = serial
        if paragraph.text.startswith("制表日期"):
            for run in paragraph.runs[1:]:
                run.text = ""
            paragraph.runs[0].text = f"制表日期：{date_text}"
    table = document.tables[0]
    table.rows[0].cells[1].paragraphs[0].add_run(company)
    table.rows[0].cells[3].paragraphs[0].add_run(contact)
    table.rows[1].cells[1].paragraphs[0].add_run(phone)
    table.rows[1].cells[3].paragraphs[0].add_run(email)

    def fill(cell, items, marks):
        paragraphs = cell.paragraphs
        for p in paragraphs[1:]:
            p.text = ""
        for i, item in enumerate(items):
            mark = marks[i % len(marks)].format(n=i + 1, c="①②③④⑤⑥⑦⑧⑨⑩"[i])
            target = paragraphs[i + 1] if i + 1 < len(paragraphs) else cell.add_paragraph()
            target.text = f"{mark}{item}"
        cell.add_paragraph("")

    fill(
        table.rows[2].cells[0],
        suggestions if suggestions is not None else ["建议增加华南地区交割库。", "建议延长夜盘交易时间。"],
        numbering,
    )
    fill(
        table.rows[3].cells[0],
        help_requests if help_requests is not None else ["希望协助解决仓单质押登记问题。"],
        help_numbering,
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_upload(content: bytes, name: str = "反馈表.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=DOCX_TYPE)


def encoded_word(text: str, charset: str, codec: str | None = None) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(codec or charset)).decode()}?="


def build_eml(
    *,
    subject: str | None = SUBJECT_A,
    subject_header: str | None = None,
    sender="zhang@alpha.example",
    sender_name="张三",
    body="您好，附件是我司反馈表。",
    html: str | None = None,
    attachments=(),
    message_id: str | None = "<fb-001@alpha.example>",
    date: datetime.datetime | None = None,
    body_charset="utf-8",
) -> bytes:
    message = EmailMessage()
    message["From"] = f"{sender_name} <{sender}>" if sender_name else sender
    message["To"] = "msc@shfe.com.cn"
    message["Date"] = format_datetime(date or datetime.datetime.now(datetime.UTC))
    if message_id:
        message["Message-ID"] = message_id
    if html is not None:
        message.set_content(html, subtype="html", charset=body_charset)
    else:
        message.set_content(body, charset=body_charset)
    for name, content, ctype in attachments:
        maintype, subtype = ctype.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    raw = bytes(message)
    if subject_header is None and subject is not None:
        subject_header = encoded_word(subject, "UTF-8", "utf-8")
    if subject_header is not None:
        raw = f"Subject: {subject_header}\r\n".encode("ascii") + raw
    return raw


@pytest.fixture
def make_filled():
    return filled_form


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions below read the English source messages (the UI default is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
