"""A file attached to a form that comes back with an error is kept (stored once, carried by a
signed token) and claimed by the real store on the next submission (huifu.files.kept)."""

from __future__ import annotations

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from huifu.files.forms import StoredFileField
from huifu.files.kept import KEPT_PURPOSE, KEPT_SUFFIX, KeepUploadsMixin, KeptUpload
from huifu.files.models import StoredFile
from huifu.files.services import file_store

from .conftest import MINIMAL_PDF, upload

pytestmark = pytest.mark.django_db


class _InvoiceForm(KeepUploadsMixin, forms.Form):
    number = forms.CharField(label="发票号码")
    file = StoredFileField(label="发票文件")


def _post(data, files, user):
    return _InvoiceForm(data, files, uploader=user)


def test_the_file_survives_an_error_and_is_stored_only_once(member_a_contact, org_a):
    first = _post({"number": ""}, {"file": upload("发票.pdf", MINIMAL_PDF, "application/pdf")}, member_a_contact)
    assert not first.is_valid()
    token, name = first.kept_uploads["file"]
    assert name == "发票.pdf"
    kept = StoredFile.objects.get(purpose=KEPT_PURPOSE)
    assert kept.organisation == org_a

    with translation.override("zh-hans"):
        html = render_to_string("core/_fields.html", {"form": first})
    assert f'name="file{KEPT_SUFFIX}" value="{token}"' in html
    assert "已上传：发票.pdf（保留）" in html
    assert "required" not in str(first["file"])  # the browser lets the form go without a new file

    second = _post({"number": "No.1", f"file{KEPT_SUFFIX}": token}, {}, member_a_contact)
    assert second.is_valid(), second.errors
    assert isinstance(second.cleaned_data["file"], KeptUpload)
    stored = file_store(
        upload=second.cleaned_data["file"], actor=member_a_contact, organisation=org_a, purpose="invoice"
    )
    assert stored.pk == kept.pk and stored.purpose == "invoice"
    assert StoredFile.objects.count() == 1  # not stored twice
    assert stored.file.read() == MINIMAL_PDF

    # A claimed file cannot be claimed again with the old token.
    third = _post({"number": "No.2", f"file{KEPT_SUFFIX}": token}, {}, member_a_contact)
    assert not third.is_valid() and "file" in third.errors


def test_someone_elses_or_a_forged_token_brings_nothing(member_a_contact, member_b_contact):
    first = _post({"number": ""}, {"file": upload("发票.pdf", MINIMAL_PDF, "application/pdf")}, member_a_contact)
    assert not first.is_valid()
    token, _name = first.kept_uploads["file"]
    for user, sent in ((member_b_contact, token), (member_a_contact, token[:-2] + "xx")):
        form = _post({"number": "No.1", f"file{KEPT_SUFFIX}": sent}, {}, user)
        assert not form.is_valid() and "file" in form.errors


def test_a_new_file_replaces_the_kept_one(member_a_contact):
    first = _post({"number": ""}, {"file": upload("旧.pdf", MINIMAL_PDF, "application/pdf")}, member_a_contact)
    assert not first.is_valid()
    token, _name = first.kept_uploads["file"]
    second = _post(
        {"number": "No.1", f"file{KEPT_SUFFIX}": token},
        {"file": upload("新.pdf", MINIMAL_PDF, "application/pdf")},
        member_a_contact,
    )
    assert second.is_valid()
    assert second.cleaned_data["file"].name == "新.pdf"


def test_a_form_without_the_mixin_says_to_attach_again():
    class Plain(forms.Form):
        number = forms.CharField(label="发票号码")
        file = forms.FileField(label="文件")

    form = Plain({"number": ""}, {"file": upload("a.pdf", MINIMAL_PDF)})
    assert not form.is_valid()
    with translation.override("zh-hans"):
        html = render_to_string("core/_fields.html", {"form": form})
    assert "请重新选择文件" in html
