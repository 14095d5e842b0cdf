"""Switch the identity to a second exchange by loading its profile (data only) and check that
everything that names the exchange follows: the header, home, public site and footer; e-mails
(signature, sender); the reply letter PDF and the meeting invitation; the visit invitation; the
Member Voice form (Word); the certificate PDF's issuer; the product list."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from huifu.accounts.system import system_actor
from huifu.core.testing.auth import login
from huifu.intake.wordform import form_docx
from huifu.outbox.delivery import build_email
from huifu.outbox.services import mail_enqueue
from huifu.publicsite.services import exchange_profile_load, profile_read
from huifu.servicedesk import letters
from huifu.visits.ics import visit_calendar

pytestmark = pytest.mark.django_db

OLD_NAMES = ("上海期货交易所", "上期所", "SHFE", "上海国际能源交易中心", "Shanghai Futures", "shfe.com", "800-820-3618")


def _old(text: str) -> list[str]:
    return [name for name in OLD_NAMES if name in text]


@pytest.fixture
def dce(dept_mm, dept_business, dept_msc, dept_ine):
    data, base = profile_read("dce")
    return exchange_profile_load(actor=system_actor(), profile=data, base_dir=base, year=timezone.localdate().year)


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_pages_follow_the_identity(client, dce, coordinator, member_a_admin):
    landing = client.get("/").content.decode()
    header = landing.split("</header>")[0]
    footer = landing.split('data-testid="site-footer"')[1]
    assert "大商所" in header and "/public/logo/" in header  # short name and logo in the header
    assert "大连商品交易所" in _visible(landing) and "会员服务与投资者教育平台" in landing  # public site
    assert "辽宁省大连市沙河口区会展路129号" in landing and "msc@dce.example" in landing
    assert "大连商品交易所" in footer and "0411-84801111" in footer and "https://www.dce.com.cn" in footer
    assert "400-860-0411" in footer and "2027-01-01" in footer  # the announced number with its date
    assert not _old(landing)
    for user in (coordinator, member_a_admin):
        login(client, user)
        home = client.get("/").content.decode()
        assert "大商所" in home.split("</header>")[0] and "大连商品交易所" in home.split("</main>")[1]
        assert not _old(home)
    products = client.get(reverse("products:list")).content.decode()
    assert "豆粕" in products and "大商所" in products and "铜" not in _visible(products).split("豆粕")[0][-200:]
    assert not _old(products)


def test_e_mails_follow_the_identity(dce, member_a_admin):
    message = mail_enqueue(to=member_a_admin.email, subject="[会服] 测试", body_text="正文。")
    assert message.body_text.startswith("正文。")
    signature = message.body_text.split("\n-- \n")[1]
    assert "大连商品交易所" in signature and "0411-84801111" in signature and "msc@dce.example" in signature
    html = mail_enqueue(
        to=member_a_admin.email, subject="s", body_text="t", body_html="<html><body><p>t</p></body></html>"
    )
    assert html.body_html.index("大连商品交易所") < html.body_html.index("</body>")
    sent = build_email(message)
    assert sent.from_email.startswith("大商所 ") and not _old(sent.message().as_string())


def test_letters_and_invitations_follow_the_identity(dce, tmp_path, dept_mm):
    form = SimpleNamespace(
        organisation=SimpleNamespace(name_zh="甲期货有限公司"),
        received_at=timezone.now(),
        year=2026,
        serial_display="001",
        email="contact@alpha.example",
        contact_name="张联系",
    )
    pdf = letters.reply_letter_pdf(
        form=form, text="已研究。", sent_on=datetime.date(2026, 5, 6), doc_number="大商会函〔2026〕1号"
    )
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "大连商品交易所" in text and "大连商品交易所会员服务部" in text and not _old(text)
    reply = SimpleNamespace(
        meeting_at=timezone.now(), meeting_minutes=60, text="沟通会", meeting_link="", attendees="会员服务部 王协调"
    )
    ics = letters.meeting_ics(form=form, reply=reply, organiser_email="huifu@example.com").decode()
    assert "大连商品交易所会员服务部" in ics.replace("\r\n ", "") and not _old(ics)
    visit = SimpleNamespace(
        ics_uid="abc",
        arrangement_version=1,
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
        organisation=SimpleNamespace(name_zh="甲期货有限公司"),
        place="大连期货大厦",
        purpose="交流",
        agenda="",
        visitors="张三",
        contact_email="contact@alpha.example",
        contact_name="张联系",
    )
    visit_ics = visit_calendar(visit, attendees=[]).decode()
    assert "CN=大连商品交易所" in visit_ics.replace("\r\n ", "") and not _old(visit_ics)


def test_documents_follow_the_identity(dce):
    document = Document(io.BytesIO(form_docx()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "msc@dce.example" in text and not _old(text)
    assert document.core_properties.author == "大连商品交易所"
    from huifu.budget.models import default_payer_name
    from huifu.certificates.pdf import _issuer
    from huifu.products.models import Product

    assert _issuer() == "大连商品交易所" and default_payer_name() == "大连商品交易所"
    assert Product.objects.get(code="m").exchange_name == "大商所"
