"""The Word form: generated like the seed's form, read back robustly, bad files refused clearly."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from docx import Document

from huifu.intake import wordform
from huifu.intake.wordform import FormData, form_docx
from huifu.intake.wordparse import FormReadError, parse_form, split_items

from .conftest import filled_form

pytestmark = pytest.mark.django_db


def _all_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_blank_form_has_every_part_of_the_seed_form():
    text = _all_text(form_docx(FormData(year=2023)))
    for part in (
        "“一站通”会员之声反馈表",
        "编号：",
        "本公司填写的第几张反馈表",
        "制表日期：2023年",
        "期货公司名称",
        "期货公司联系人",
        "联系方式",
        "联系邮箱地址",
        "希望向交易所反馈的意见建议：",
        "希望交易所协助推动解决的事项：",
        "1．",
        "2．",
        "（公司盖章）",
        "msc@shfe.com.cn",
        "xx期货公司“一站通”会员之声反馈",
    ):
        assert part in text, part


def test_round_trip_generate_prefilled_then_parse():
    data = FormData(
        serial="007",
        form_date=datetime.date(2023, 10, 9),
        company="甲期货有限公司",
        contact="张三",
        phone="021-68400000",
        email="zhang@alpha.example",
        suggestions=["建议一", "建议二\n第二行"],
        help_requests=["事项一"],
    )
    parsed = parse_form(form_docx(data))
    assert parsed.ok, parsed.problems
    assert (parsed.serial, parsed.form_date, parsed.company, parsed.contact, parsed.phone, parsed.email) == (
        "007",
        datetime.date(2023, 10, 9),
        "甲期货有限公司",
        "张三",
        "021-68400000",
        "zhang@alpha.example",
    )
    assert parsed.suggestions == ["建议一", "建议二 第二行"] or parsed.suggestions == ["建议一", "建议二\n第二行"]
    assert parsed.help_requests == ["事项一"]


def test_round_trip_blank_form_filled_programmatically():
    parsed = parse_form(filled_form())
    assert parsed.ok, parsed.problems
    assert parsed.serial == "001" and parsed.form_date == datetime.date(2023, 10, 9)
    assert parsed.company == "甲期货有限公司" and parsed.email == "zhang@alpha.example"
    assert parsed.suggestions == ["建议增加华南地区交割库。", "建议延长夜盘交易时间。"]
    assert parsed.help_requests == ["希望协助解决仓单质押登记问题。"]


@pytest.mark.parametrize("marks", [("1.",), ("1、",), ("（1）",), ("(1)",), ("①",), ("一、",), ("1)",)])
def test_numbering_styles(marks):
    items = ["第一条", "第二条", "第三条"]
    lines = []
    circled = "①②③"
    chinese = "一二三"
    for i, item in enumerate(items, start=1):
        mark = marks[0]
        mark = (
            mark.replace("1", str(i))
            if "1" in mark
            else mark.replace("①", circled[i - 1]).replace("一", chinese[i - 1])
        )
        lines.extend([mark + item, ""])
    assert split_items(lines) == items


def test_unnumbered_lines_continue_the_item_and_placeholders_are_dropped():
    assert split_items(["1．第一条", "接着写", "", "2．", "……", "2．第二条"]) == ["第一条\n接着写", "第二条"]
    assert split_items(["只写了一段没有编号"]) == ["只写了一段没有编号"]


def test_value_typed_into_the_label_cell_is_read():
    document = Document(io.BytesIO(filled_form(company="")))
    cell = document.tables[0].rows[0].cells[0]
    cell.paragraphs[0].runs[0].text = "期货公司名称：乙期货有限公司"
    buffer = io.BytesIO()
    document.save(buffer)
    assert parse_form(buffer.getvalue()).company == "乙期货有限公司"


def test_blank_form_reports_everything_missing():
    parsed = parse_form(form_docx(FormData(year=2023)))
    fields = {p.field for p in parsed.problems}
    assert fields == {"form_date", "company", "contact", "phone", "email", "suggestions"}
    assert "not filled in" in parsed.problem_for("form_date")[0]


def test_unparseable_date_and_bad_email_are_reported():
    parsed = parse_form(filled_form(date_text="2023年13月45日", email="not-an-address"))
    assert "could not be read" in parsed.problem_for("form_date")[0]
    assert parsed.problem_for("email")


def test_sections_written_outside_the_table_are_found():
    document = Document(io.BytesIO(filled_form(suggestions=[], help_requests=[])))
    document.add_paragraph("希望向交易所反馈的意见建议：")
    document.add_paragraph("1. 表格外写的建议")
    buffer = io.BytesIO()
    document.save(buffer)
    assert parse_form(buffer.getvalue()).suggestions == ["表格外写的建议"]


def _zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"just some text", "not a Word"),
        (_zip_without_document(), "zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".doc"),
        (b"PK\x03\x04broken zip", "damaged"),
    ],
)
def test_malformed_files_raise_a_clear_error(content, expected):
    with pytest.raises(FormReadError) as exc:
        parse_form(content)
    assert expected in str(exc.value)


def test_docx_whose_document_xml_is_broken():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<bad")
        archive.writestr("word/document.xml", "<w:document")
    with pytest.raises(FormReadError):
        parse_form(buffer.getvalue())


@pytest.mark.django_db
def test_the_note_names_the_mailbox_of_the_identity():
    from huifu.publicsite.models import SiteIdentity

    row = SiteIdentity.objects.get()
    assert "msc@shfe.com.cn" in wordform.note()
    row.service_mailbox = "msc@exchange.example"
    row.save()
    assert "msc@exchange.example" in wordform.note()
