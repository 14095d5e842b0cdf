"""Reading raw Chinese e-mail robustly.

Real mail from member companies arrives with RFC 2047 subjects labelled GB2312, GBK, GB18030 or
UTF-8 (GB2312-labelled text often holds GBK-only characters, so every GB label is decoded as
GB18030, its superset), bodies in those charsets, HTML-only bodies, and attachment names
encoded either way (RFC 2047 or RFC 2231). Nothing here raises on bad input: undecodable bytes
become U+FFFD.
"""

from __future__ import annotations

import datetime
import email
import hashlib
import html
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

GB_ALIASES = {
    "gb2312",
    "gb_2312",
    "gb_2312-80",
    "gbk",
    "x-gbk",
    "cp936",
    "ms936",
    "euc-cn",
    "x-euc-cn",
    "csgb2312",
    "gb18030",
    "hz-gb-2312",
}


@dataclass
class MailAttachment:
    filename: str
    content_type: str
    payload: bytes


@dataclass
class ParsedMail:
    key: str
    message_id: str
    subject: str
    from_address: str
    from_name: str
    sent_at: datetime.datetime | None
    headers: list[tuple[str, str]]
    body_text: str
    attachments: list[MailAttachment] = field(default_factory=list)
    # The text the form is read from: the HTML part when it holds a table (webmail's form), else
    # the body; quoted replies and the signature cut off (``strip_quotes_and_signature``).
    form_text: str = ""


def codec_for(charset: str | None) -> str:
    name = (charset or "").strip().strip('"').lower()
    if not name or name in ("unknown-8bit", "x-unknown", "us-ascii", "ascii"):
        return "utf-8"
    if name in GB_ALIASES:
        return "gb18030"
    if name in ("big5", "big5-hkscs", "cp950"):
        return "big5hkscs"
    try:
        import codecs

        codecs.lookup(name)
    except LookupError:
        return "utf-8"
    return name


def _decode_bytes(data: bytes, charset: str | None) -> str:
    codec = codec_for(charset)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    if codec == "utf-8":  # unlabelled 8-bit text from Chinese clients is usually GB18030
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            pass
    return data.decode(codec, errors="replace")


def decode_header_value(value: str | None) -> str:
    """An RFC 2047 header value as text, GB labels decoded as GB18030."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, email.header.Header):
        text = str(value)
    try:
        parts = decode_header(text)
    except Exception:  # noqa: BLE001 - a malformed encoded-word: keep the raw text
        return " ".join(text.split())
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(_decode_bytes(chunk, charset))
        else:
            out.append(chunk)
    return " ".join("".join(out).split())


class _TextExtractor(HTMLParser):
    """HTML to text. A table row becomes one line with its cells separated by tabs (a cell's own
    line breaks kept), so "label | value" rows read like the Word form's table."""

    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.buffers: list[list[str]] = [[]]  # the document, then one buffer per open cell
        self.rows: list[list[str]] = []  # the cells of each open row
        self.skip = 0

    @property
    def parts(self) -> list[str]:
        return self.buffers[0]

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.buffers.append([])
        elif tag in self.BLOCK:
            self.buffers[-1].append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and len(self.buffers) > 1:
            text = "".join(self.buffers.pop()).replace("\xa0", " ")
            cell = "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
            if self.rows:
                self.rows[-1].append(cell)
            else:
                self.buffers[-1].append(f"\n{cell}\n")
        elif tag == "tr" and self.rows:
            cells = [c for c in self.rows.pop() if c]
            self.buffers[-1].append("\n" + "\t".join(cells) + "\n")
        elif tag in self.BLOCK:
            self.buffers[-1].append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buffers[-1].append(data)

    def text(self) -> str:
        while len(self.buffers) > 1:  # unclosed cells
            self.handle_endtag("td")
        while self.rows:
            self.handle_endtag("tr")
        return "".join(self.buffers[0])


def _clean_line(line: str) -> str:
    return "\t".join(" ".join(part.split()) for part in line.split("\t")).strip("\t ")


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
        text = parser.text()
    except Exception:  # noqa: BLE001
        text = re.sub(r"<[^>]+>", " ", markup)
    text = html.unescape(text).replace("\xa0", " ")
    lines = [_clean_line(line) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# A quoted earlier message starts here: everything from this line on is not the member's new text.
QUOTE_START = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:原始邮件|Original Message|Forwarded message|转发邮件)\s*-{2,}"
    r"|在.{0,120}写道\s*[:：]?"
    r"|On .{0,200}wrote\s*:?"
    r"|_{10,}"
    r")\s*$",
    re.IGNORECASE,
)
HEADER_BLOCK = re.compile(r"^\s*(?:From|发件人)\s*[:：]", re.IGNORECASE)
HEADER_FOLLOW = re.compile(
    r"^\s*(?:Sent|Date|To|Subject|Cc|发送时间|日期|时间|收件人|抄送|主题)\s*[:：]", re.IGNORECASE
)
# A signature starts at its delimiter or at a closing formula.
SIGNATURE_START = re.compile(
    r"^\s*(?:--\s*|—{2,}\s*"
    r"|此致.{0,6}|敬礼[!！。]?|顺[颂祝].{0,10}|祝[好商].{0,8}|谢谢[!！。]?|感谢[!！。]?|多谢[!！。]?"
    r"|(?:best|kind|warm)?\s*regards[,，.]?.{0,40}|thanks?(?: you)?[,，.!]?|cheers[,，.]?"
    r"|(?:sent from|发自我的).{0,60})$",
    re.IGNORECASE,
)
# Lines of a contact block (name card) at the very end of a message.
CONTACT_LINE = re.compile(
    r"^\s*(?:电话|手机|座机|Tel|Phone|Mobile|Mob|传真|Fax|地址|Add(?:ress)?|邮箱|E-?mail|网址|Web|微信|QQ)\s*[:：.]",
    re.IGNORECASE,
)
# Lines only the feedback form has (huifu.intake.wordparse's labels): a closing formula before a
# section heading is not the end of the mail, and a trailing block with one of these field labels
# is the form's own contact fields typed last, not the sender's name card.
FORM_SECTION = re.compile(r"意见建议|协助推动解决的事项|协助解决的事项")
FORM_ONLY_LABEL = re.compile(
    r"^\s*(?:期货公司名称|公司名称|会员名称|单位名称|期货公司联系人|联系人|制表日期|填表日期|表格编号|反馈表编号|编号)\s*[:：]"
)
NUMBERED_LINE = re.compile(r"^\s*(?:[（(]?\s*[0-9０-９一二三四五六七八九十]+\s*[.．、,，)）]|[①-⑳])")


def strip_quotes_and_signature(text: str) -> str:
    """The member's own new text of a mail body: quoted earlier messages ("在 … 写道：",
    "-----原始邮件-----", an Outlook "From:/Sent:" block, "> " lines) and the sender's signature
    (after "-- ", a closing such as 此致 / Best regards, or a trailing name card with phone and
    address lines) are cut off."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if QUOTE_START.match(line):
            break
        if HEADER_BLOCK.match(line) and any(HEADER_FOLLOW.match(n) for n in lines[index + 1 : index + 5]):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    for index, line in enumerate(kept):
        if "\t" not in line and SIGNATURE_START.match(line):
            if any(FORM_SECTION.search(later) for later in kept[index + 1 :]):
                kept[index] = ""  # "谢谢！" before a section: a courtesy line, the form goes on
                continue
            kept = kept[:index]
            break
    # A trailing name card: short, unnumbered lines, not table rows, with a contact line among them.
    start = len(kept)
    while start > 0:
        line = kept[start - 1].strip()
        if line and ("\t" in line or len(line) > 60 or NUMBERED_LINE.match(line)):
            break
        start -= 1
    # Paragraphs of the block that carry a form-only label are the form's fields, not a card.
    for index in range(len(kept) - 1, start - 1, -1):
        if FORM_ONLY_LABEL.match(kept[index]):
            start = index + 1
            while start < len(kept) and kept[start].strip():
                start += 1
            break
    block = kept[start:]
    if any(CONTACT_LINE.match(line) for line in block):
        kept = kept[:start]
    return "\n".join(kept).strip()


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    return _decode_bytes(payload, part.get_content_charset())


def _filename(part: Message) -> str:
    name = part.get_filename()
    if name is None:
        name = part.get_param("name")
        if isinstance(name, tuple):  # RFC 2231
            name = email.utils.collapse_rfc2231_value(name)
    if not name:
        return ""
    if isinstance(name, str) and "=?" in name:
        return decode_header_value(name)
    return str(name)


def parse_mail(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=policy.compat32)
    message_id = " ".join(str(message.get("Message-ID", "") or "").split())[:998]
    key = f"mid:{message_id}"[:255] if message_id else "sha256:" + hashlib.sha256(raw).hexdigest()
    subject = decode_header_value(message.get("Subject"))
    from_name, from_address = "", ""
    addresses = getaddresses([decode_header_value(v) for v in message.get_all("From", [])])
    if addresses:
        from_name, from_address = addresses[0]
    sent_at = None
    try:
        if message.get("Date"):
            sent_at = parsedate_to_datetime(str(message["Date"]))
            if sent_at is not None and sent_at.tzinfo is None:
                sent_at = sent_at.replace(tzinfo=datetime.UTC)
    except (TypeError, ValueError, IndexError):
        sent_at = None
    headers = [(name, decode_header_value(value)) for name, value in message.items()]
    plain: list[str] = []
    html_parts: list[str] = []
    attachments: list[MailAttachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        filename = _filename(part)
        content_type = part.get_content_type()
        if disposition == "attachment" or (filename and content_type not in ("text/plain", "text/html")):
            payload = part.get_payload(decode=True) or b""
            attachments.append(MailAttachment(filename or "attachment", content_type, payload))
        elif content_type == "text/plain":
            plain.append(_part_text(part))
        elif content_type == "text/html":
            html_parts.append(_part_text(part))
    body = "\n\n".join(p.strip() for p in plain if p.strip())
    html_text = "\n\n".join(html_to_text(h) for h in html_parts) if html_parts else ""
    if not body:
        body = html_text
    has_table = any(re.search(r"<table\b", h, re.IGNORECASE) for h in html_parts)
    form_text = strip_quotes_and_signature((html_text if has_table else body).replace("\r\n", "\n"))
    return ParsedMail(
        key=key,
        message_id=message_id,
        subject=subject[:500],
        from_address=from_address.strip().lower()[:254],
        from_name=from_name.strip()[:200],
        sent_at=sent_at,
        headers=headers,
        body_text=body.replace("\r\n", "\n"),
        attachments=attachments,
        form_text=form_text,
    )
