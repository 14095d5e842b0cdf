"""Word documents and e-mails as real office suites and webmail write them (issue #8): automatic
numbering in numbering.xml, the whole form as one table, missing fields, HTML tables with
signatures and quoted replies, decompression bombs."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from huifu.intake.wordform import FormData, form_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def add_numbering(document, fmt: str = "decimal", text: str = "%1.") -> int:
    """A new list definition (abstractNum + num) in numbering.xml; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(abstract_ids, default=0) + 1
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt if i == 0 else "lowerLetter"}"/>'
        f'<w:lvlText w:val="{text if i == 0 else f"%{i + 1})"}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i in range(3)
    )
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
    )
    nums = numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    num_id = max((int(n.get(qn("w:numId"))) for n in nums), default=0) + 1
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    )
    return num_id


def number(paragraph, num_id: int, ilvl: int = 0) -> None:
    """Give ``paragraph`` Word's automatic numbering (w:numPr): the number is not in its text."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def word_numbered_form(
    suggestions=(("建议增加华南地区交割库。", 0), ("建议延长夜盘交易时间。", 0)),
    help_requests=(("希望协助解决仓单质押登记问题。", 0), ("希望协助推动期权做市商准入。", 0)),
    *,
    style: str | None = None,
    fmt: str = "decimal",
    serial: str = "003",
) -> bytes:
    """The generated form filled in Word: items numbered by Word (numPr, or a list style when
    ``style`` is given), texts without any typed number; (text, level) pairs, level None = a
    plain continuation paragraph."""
    data = FormData(
        serial=serial,
        form_date=__import__("datetime").date(2026, 3, 5),
        company="甲期货有限公司",
        contact="张三",
        phone="021-68400000",
        email="zhang@alpha.example",
    )
    document = Document(io.BytesIO(form_docx(data)))
    table = document.tables[0]
    for row_index, items in ((2, suggestions), (3, help_requests)):
        cell = table.rows[row_index].cells[0]
        for paragraph in cell.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        num_id = add_numbering(document, fmt=fmt, text="\uf0b7" if fmt == "bullet" else "%1.")
        for text, level in items:
            paragraph = cell.add_paragraph(text, style=style) if style else cell.add_paragraph(text)
            if level is not None and style is None:
                number(paragraph, num_id, level)
    return _save(document)


def table_layout_form(
    *,
    serial: str = "007",
    date_text: str = "2026年3月5日",
    email: str | None = "zhang@alpha.example",
    items_below_label: bool = False,
) -> bytes:
    """The form retyped as one table: 编号 and 制表日期 in cells, each value in the cell after
    its label, each section's items in the cell after (or the row below) its label."""
    document = Document()
    document.add_paragraph("“一站通”会员之声反馈表")
    rows = [
        ("编号", serial, "制表日期", date_text),
        ("期货公司名称", "甲期货有限公司", "期货公司联系人", "张三"),
        ("联系方式", "021-68400000", "联系邮箱地址" if email is not None else "", email or ""),
    ]
    table = document.add_table(rows=0, cols=4)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    sections = (
        ("希望向交易所反馈的意见建议", ["1. 建议增加华南地区交割库。", "2. 建议延长夜盘交易时间。"]),
        ("希望交易所协助推动解决的事项", ["（1）希望协助解决仓单质押登记问题。"]),
    )
    for label, items in sections:
        if items_below_label:
            label_row = table.add_row().cells
            merged = label_row[0].merge(label_row[3])
            merged.text = label
            item_row = table.add_row().cells
            target = item_row[0].merge(item_row[3])
        else:
            cells = table.add_row().cells
            cells[0].text = label
            target = cells[1].merge(cells[3])
        target.text = items[0]
        for item in items[1:]:
            target.add_paragraph(item)
    seal = table.add_row().cells
    seal[0].merge(seal[3]).text = "（公司盖章）"
    return _save(document)


def bomb_docx(uncompressed_mib: int = 400) -> bytes:
    """A .docx (valid [Content_Types].xml and word/document.xml) with one part of zeros that
    inflates to ``uncompressed_mib`` MiB from ~0.1% of that on disk."""
    buffer = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body/></w:document>')
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as part:
            for _ in range(uncompressed_mib):
                part.write(chunk)
    return buffer.getvalue()


def bomb_xlsx(uncompressed_mib: int = 400) -> bytes:
    buffer = io.BytesIO()
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(uncompressed_mib):
                part.write(chunk)
    return buffer.getvalue()


def html_mail(
    *,
    html: str,
    sender: str = "zhang@alpha.example",
    subject: str = "甲期货有限公司“一站通”会员之声反馈",
    message_id: str = "<html-001@alpha.example>",
) -> bytes:
    """An HTML-only message (no text/plain part), as webmail sends it."""
    message = EmailMessage()
    message["From"] = f"张三 <{sender}>"
    message["To"] = "msc@shfe.com.cn"
    message["Subject"] = subject
    message["Date"] = "Thu, 05 Mar 2026 10:00:00 +0800"
    message["Message-ID"] = message_id
    message.set_content(html, subtype="html", charset="utf-8")
    return bytes(message)


FORM_TABLE_HTML = """<html><body><div>您好，我司反馈如下：</div>
<table border="1">
<tr><td>编号</td><td>005</td><td>制表日期</td><td>2026年3月5日</td></tr>
<tr><td><p>期货公司名称</p></td><td><p>甲期货有限公司</p></td><td>期货公司联系人</td><td>张三</td></tr>
<tr><td>联系方式</td><td>021-68400000</td><td>联系邮箱地址</td><td><a href="mailto:zhang@alpha.example">zhang@alpha.example</a></td></tr>
<tr><td>希望向交易所反馈的意见建议</td><td colspan="3"><p>1. 建议增加华南地区交割库。</p><p>2. 建议延长夜盘交易时间。</p></td></tr>
<tr><td>希望交易所协助推动解决的事项</td><td colspan="3">1、希望协助解决仓单质押登记问题。<br>2、希望协助推动期权做市商准入。</td></tr>
</table>
{tail}
</body></html>"""

SIGNATURES = {
    "name card": "<div>张三</div><div>甲期货有限公司 会员服务部</div><div>电话：021-6840 1234</div><div>手机：138 0000 0000</div>",
    "dash delimiter": "<div>-- </div><div>张三 甲期货有限公司</div><div>Tel: 021-68401234</div>",
    "此致": "<p>此致</p><p>敬礼！</p><p>张三</p>",
    "best regards": "<p>Best regards,</p><p>Zhang San</p><p>Alpha Futures</p>",
}
QUOTES = {
    "qq/163 写道": "<div>在 2026年3月1日 09:00，msc@shfe.com.cn 写道：</div><blockquote>1. 请贵司填写反馈表 电话：021-1111</blockquote>",
    "原始邮件": "<div>-----原始邮件-----</div><div>发件人：msc@shfe.com.cn</div><div>2、旧的事项</div>",
    "outlook from block": "<div>From: msc@shfe.com.cn</div><div>Sent: Sunday, March 1, 2026</div><div>To: zhang</div><div>3. 旧事项</div>",
    "> lines": "<pre>&gt; 1. 上次的事项\n&gt; 联系方式：021-9999</pre>",
}
