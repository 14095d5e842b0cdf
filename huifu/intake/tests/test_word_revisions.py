"""Text Word keeps outside plain runs: tracked insertions (Track Changes on), content controls
(内容控件, common in forms companies retype), hidden text and tracked deletions. What a person sees
in Word is what is read; nothing is dropped or added silently."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from huifu.intake.wordparse import parse_form

from .conftest import filled_form

# The Word form is written with the exchange's name from its identity data (one read of the database).
pytestmark = pytest.mark.django_db


def _wrap(run_el, tag: str):
    wrapper = OxmlElement(tag)
    if tag in ("w:ins", "w:del"):
        wrapper.set(qn("w:id"), "1")
        wrapper.set(qn("w:author"), "审核人")
        wrapper.set(qn("w:date"), "2023-10-09T00:00:00Z")
    run_el.addprevious(wrapper)
    wrapper.append(run_el)
    return wrapper


def _content_control(run_el, *, placeholder: bool = False):
    sdt = OxmlElement("w:sdt")
    properties = OxmlElement("w:sdtPr")
    if placeholder:
        properties.append(OxmlElement("w:showingPlcHdr"))
    content = OxmlElement("w:sdtContent")
    run_el.addprevious(sdt)
    sdt.append(properties)
    sdt.append(content)
    content.append(run_el)


def _edit(change, **form) -> bytes:
    document = Document(io.BytesIO(filled_form(**form)))
    change(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_suggestion_typed_with_track_changes_on_is_kept():
    def change(document):
        paragraph = document.tables[0].rows[2].cells[0].paragraphs[2]
        for run in list(paragraph.runs):
            _wrap(run._r, "w:ins")

    parsed = parse_form(_edit(change))
    assert parsed.suggestions == ["建议增加华南地区交割库。", "建议延长夜盘交易时间。"]


def test_a_value_in_a_tracked_insertion_or_a_content_control_is_read():
    def change(document):
        _wrap(document.tables[0].rows[1].cells[1].paragraphs[0].runs[-1]._r, "w:ins")
        _content_control(document.tables[0].rows[0].cells[3].paragraphs[0].runs[-1]._r)

    parsed = parse_form(_edit(change))
    assert (parsed.phone, parsed.contact) == ("021-68400000", "张三")
    assert not parsed.problems


def test_a_content_control_still_showing_its_placeholder_is_not_a_value():
    def change(document):
        cell = document.tables[0].rows[0].cells[3]
        run = cell.paragraphs[0].runs[-1]
        run.text = "单击或点击此处输入文字。"
        _content_control(run._r, placeholder=True)

    parsed = parse_form(_edit(change))
    assert parsed.contact == ""
    assert [p.field for p in parsed.problems] == ["contact"]


def test_deleted_and_hidden_text_is_not_read():
    def change(document):
        cell = document.tables[0].rows[1].cells[3]
        old = cell.paragraphs[0].runs[-1]._r
        _wrap(old, "w:del")
        for text in old.findall(qn("w:t")):
            text.tag = qn("w:delText")
        cell.paragraphs[0].add_run("li@alpha.example")
        for paragraph in document.paragraphs:
            if paragraph.text.startswith("编号"):
                hidden = paragraph.runs[1]
                hidden.text = "007"
                hidden.font.hidden = True
                paragraph.add_run("003")

    parsed = parse_form(_edit(change))
    assert parsed.email == "li@alpha.example"
    assert parsed.serial == "003"
    assert not parsed.problems


def _long_form(paragraphs: int) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(filled_form()))
    xml = source.read("word/document.xml").decode()
    filler = "".join(f"<w:p><w:r><w:t>{n % 9973}建议{n % 7}</w:t></w:r></w:p>" for n in range(paragraphs))
    xml = xml.replace("<w:sectPr", filler + "<w:sectPr", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, xml if item.filename == "word/document.xml" else source.read(item.filename))
    return out.getvalue()


def test_a_small_docx_with_a_huge_body_is_refused_at_once():
    """A 700 KB .docx whose text is 10 MiB of short paragraphs passed the zip-bomb check and
    held a web worker for four minutes (a style lookup per paragraph). A feedback form is a page
    or two: a document this long is refused before it is parsed."""
    import time

    import pytest

    from huifu.intake.wordparse import FormReadError

    content = _long_form(240_000)
    assert len(content) < 1024 * 1024
    started = time.monotonic()
    with translation.override("zh-hans"), pytest.raises(FormReadError, match="太长"):
        parse_form(content)
    assert time.monotonic() - started < 2


def test_a_long_but_plausible_form_is_still_read():
    parsed = parse_form(_long_form(3_000))
    assert parsed.suggestions[:2] == ["建议增加华南地区交割库。", "建议延长夜盘交易时间。"]
