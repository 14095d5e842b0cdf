"""Kept uploads: several files on one field, a token of company A never brings company B's
user anything (nor a colleague's), and kept files nobody claimed are deleted after the retention
period by the worker's sweep — claimed ones never."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from huifu.audit.models import AuditEvent
from huifu.core.worker import RECOVERY_SWEEPS, run_recovery_sweeps
from huifu.files.forms import StoredFileField
from huifu.files.kept import KEPT_PURPOSE, KEPT_SUFFIX, KeepUploadsMixin, KeptUpload, kept_uploads_expire
from huifu.files.models import StoredFile
from huifu.files.services import file_store

from .conftest import MINIMAL_PDF, upload

pytestmark = pytest.mark.django_db


class _MultipleInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleField(StoredFileField):
    def __init__(self, **kwargs):
        super().__init__(widget=_MultipleInput(), required=False, **kwargs)

    def clean(self, data, initial=None):
        return [StoredFileField.clean(self, d, initial) for d in (data or []) if d]


class _ReportForm(KeepUploadsMixin, forms.Form):
    text = forms.CharField()
    files = _MultipleField(label="证明材料")


class _SealForm(KeepUploadsMixin, forms.Form):
    name = forms.CharField()
    seal = StoredFileField(label="盖章扫描件")


def _pdf(name):
    return upload(name, MINIMAL_PDF, "application/pdf")


def _kept_seal(user):
    form = _SealForm({"name": ""}, {"seal": _pdf("盖章.pdf")}, uploader=user)
    assert not form.is_valid()
    return form.kept_uploads["seal"][0]


def test_several_files_are_kept_and_come_back_together(member_a_contact):
    files = MultiValueDict({"files": [_pdf("一.pdf"), _pdf("二.pdf")]})
    first = _ReportForm({"text": ""}, files, uploader=member_a_contact)
    assert not first.is_valid()
    token, names = first.kept_uploads["files"]
    assert names == "一.pdf、二.pdf" and StoredFile.objects.filter(purpose=KEPT_PURPOSE).count() == 2
    second = _ReportForm({"text": "进展", f"files{KEPT_SUFFIX}": token}, MultiValueDict(), uploader=member_a_contact)
    assert second.is_valid(), second.errors
    assert [k.name for k in second.cleaned_data["files"]] == ["一.pdf", "二.pdf"]
    assert all(isinstance(k, KeptUpload) for k in second.cleaned_data["files"])


def test_claim_moves_the_row_to_its_purpose(member_a_contact, org_a):
    token = _kept_seal(member_a_contact)
    form = _SealForm({"name": "甲", f"seal{KEPT_SUFFIX}": token}, {}, uploader=member_a_contact)
    assert form.is_valid()
    stored = file_store(
        upload=form.cleaned_data["seal"], actor=member_a_contact, organisation=org_a, purpose="seal_scan"
    )
    assert StoredFile.objects.get().purpose == "seal_scan" and stored.organisation == org_a
    assert kept_uploads_expire(now=timezone.now() + datetime.timedelta(days=30)) == 0  # claimed: never deleted


def test_company_a_token_cannot_claim_for_company_b(member_a_contact, member_a_admin, member_b_contact):
    token = _kept_seal(member_a_contact)
    for other in (member_b_contact, member_a_admin, None):
        form = _SealForm({"name": "乙", f"seal{KEPT_SUFFIX}": token}, {}, uploader=other)
        assert not form.is_valid() and "seal" in form.errors
    assert StoredFile.objects.get().purpose == KEPT_PURPOSE  # untouched


def test_a_form_without_uploader_keeps_nothing():
    form = _SealForm({"name": ""}, {"seal": _pdf("盖章.pdf")})
    assert not form.is_valid() and not form.kept_uploads
    assert not StoredFile.objects.exists()


@override_settings(HUIFU_KEPT_UPLOAD_RETENTION_HOURS=48)
def test_unclaimed_kept_files_expire_after_the_retention(member_a_contact, django_capture_on_commit_callbacks):
    _kept_seal(member_a_contact)
    stored = StoredFile.objects.get()
    name = stored.file.name
    assert default_storage.exists(name)
    assert kept_uploads_expire(now=timezone.now() + datetime.timedelta(hours=47)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert kept_uploads_expire(now=timezone.now() + datetime.timedelta(hours=49)) == 1
    assert not StoredFile.objects.exists() and not default_storage.exists(name)
    assert AuditEvent.objects.filter(action="delete", target_id=str(stored.pk)).exists()
    assert kept_uploads_expire(now=timezone.now() + datetime.timedelta(hours=49)) == 0  # idempotent


@override_settings(HUIFU_KEPT_UPLOAD_RETENTION_HOURS=1)
def test_retention_never_shorter_than_a_token_lives(member_a_contact):
    _kept_seal(member_a_contact)
    assert kept_uploads_expire(now=timezone.now() + datetime.timedelta(hours=2)) == 0


def test_the_worker_runs_the_sweep(member_a_contact):
    assert "huifu.files.kept.kept_uploads_expire" in RECOVERY_SWEEPS
    _kept_seal(member_a_contact)
    results = run_recovery_sweeps(now=timezone.now() + datetime.timedelta(days=3))
    assert results["huifu.files.kept.kept_uploads_expire"] == 1
