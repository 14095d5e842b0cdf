"""The invoice and payment amounts show the cap and what is used while typed (core/running_total),
and an invoice file survives a refused registration (huifu.files.kept)."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from huifu.budget.models import Invoice
from huifu.budget.services import invoice_register
from huifu.core.testing.auth import login
from huifu.files.models import StoredFile

from .conftest import YESTERDAY, pdf_upload


def _amount_input(html: str, form_action: str) -> str:
    form = html[html.index(f'action="{form_action}"') :]
    return re.search(r'<input[^>]*name="amount"[^>]*>', form).group(0)


def test_the_invoice_amount_carries_the_cap_and_what_is_invoiced(client, alloc_a, member_a_admin):
    invoice_register(
        allocation=alloc_a,
        number="33333333",
        amount="30000",
        issue_date=YESTERDAY,
        file=pdf_upload(),
        actor=member_a_admin,
    )
    login(client, member_a_admin)
    with translation.override("zh-hans"):
        html = client.get(reverse("budget:allocation_detail", args=[alloc_a.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    amount = _amount_input(html.content.decode(), reverse("budget:invoice_add", args=[alloc_a.pk]))
    assert 'data-cap="100000.00"' in amount and 'data-cap-used="30000.00"' in amount
    assert "已开票" in amount and "上限" in amount


def test_a_refused_invoice_keeps_its_file_and_the_next_try_stores_it_once(client, alloc_a, member_a_admin):
    login(client, member_a_admin)
    url = reverse("budget:invoice_add", args=[alloc_a.pk])
    data = {
        "number": "44444444",
        "amount": "200000.00",
        "issue_date": YESTERDAY.isoformat(),
        "buyer_name": "上海期货交易所",
    }
    response = client.post(url, {**data, "file": pdf_upload("发票-超额.pdf")}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    form = response.context["invoice_form"]
    assert "amount" in form.errors  # over the approved amount
    token, name = form.kept_uploads["file"]
    assert name == "发票-超额.pdf"
    assert "已上传：发票-超额.pdf" in response.content.decode()

    response = client.post(url, {**data, "amount": "50000.00", "file__kept": token})
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.file.original_name == "发票-超额.pdf" and invoice.file.purpose == "budget_invoice"
    assert StoredFile.objects.count() == 1
