"""No orphan uploads: a file stored inside a transaction that rolls back (the service refused the
request after storing it) loses its blob when the request or job ends; ``files_check`` lists rows
without files and files without rows. Before: the blob stayed on disk for ever, unnoticed."""

from io import StringIO
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import transaction

from huifu.files.management.commands.files_check import stored_names
from huifu.files.models import StoredFile
from huifu.files.services import discard_rolled_back_files, file_store
from huifu.notices.models import NoticeAttachment
from huifu.notices.services import notice_attachment_add, notice_create_draft
from huifu.notices.tests.conftest import PDF_BYTES, pdf_upload


@pytest.fixture
def empty_storage(tmp_path, settings):
    """A storage of its own: the suite's shared media folder holds the blobs of other tests,
    whose rows their test transactions rolled back."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def _stored_names():
    return set(stored_names(default_storage, "files")) if default_storage.exists("files") else set()


def test_a_refused_attachment_leaves_no_file(transactional_db, coordinator, empty_storage):
    draft = notice_create_draft(actor=coordinator, title="附件", body="正文")
    before = _stored_names()
    with (
        mock.patch.object(NoticeAttachment.objects, "create", side_effect=RuntimeError("refused after storing")),
        pytest.raises(RuntimeError),
    ):
        notice_attachment_add(actor=coordinator, notice=draft, upload=pdf_upload())
    assert not StoredFile.objects.exists()
    request_finished.send(sender=None)  # the end of the request
    assert _stored_names() == before


def test_a_committed_upload_is_kept(transactional_db, coordinator, empty_storage):
    draft = notice_create_draft(actor=coordinator, title="附件", body="正文")
    attachment = notice_attachment_add(actor=coordinator, notice=draft, upload=pdf_upload())
    assert discard_rolled_back_files() == 0
    assert default_storage.exists(attachment.file.file.name)


def test_nothing_is_deleted_while_the_transaction_is_open(transactional_db, coordinator, empty_storage):
    with transaction.atomic():
        stored = file_store(upload=pdf_upload(), actor=coordinator, organisation=None, purpose="notice_attachment")
        assert discard_rolled_back_files() == 0
        assert default_storage.exists(stored.file.name)
    assert discard_rolled_back_files() == 0
    assert default_storage.exists(stored.file.name)


def test_a_job_finishing_before_the_commit_callbacks_keeps_committed_files(
    transactional_db, coordinator, empty_storage
):
    """Commit callbacks run in order: a job run by an earlier callback (immediate backend) ends
    before the upload's own callback; found by the restore drill (seed_demo lost 17 files)."""
    with transaction.atomic():
        transaction.on_commit(discard_rolled_back_files)  # e.g. a mail job, enqueued first
        stored = file_store(upload=pdf_upload(), actor=coordinator, organisation=None, purpose="notice_attachment")
    assert default_storage.exists(stored.file.name)


def test_files_check_lists_rows_without_files_and_files_without_rows(db, coordinator, empty_storage):
    kept = file_store(upload=pdf_upload(), actor=coordinator, organisation=None, purpose="notice_attachment")
    lost = file_store(upload=pdf_upload(), actor=coordinator, organisation=None, purpose="notice_attachment")
    default_storage.delete(lost.file.name)
    orphan = default_storage.save("files/2026/12/0123456789abcdef0123456789abcdef", ContentFile(PDF_BYTES))
    out = StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("files_check", stdout=out)
    assert exit_status.value.code == 1
    report = out.getvalue()
    assert f"missing  files.StoredFile {lost.pk}  {lost.file.name}" in report
    assert f"orphan   {orphan}" in report
    assert kept.file.name not in report
    assert "rows without files: 1" in report and "files without rows: 1" in report
    # Deleting orphans spares recent files (an upload in progress), then removes old ones.
    with pytest.raises(SystemExit):
        call_command("files_check", "--delete-orphans", stdout=StringIO())
    assert default_storage.exists(orphan)
    with pytest.raises(SystemExit):  # the missing row is still reported
        call_command("files_check", "--delete-orphans", "--min-age-hours", "-1", stdout=StringIO())
    assert not default_storage.exists(orphan)
    default_storage.delete(kept.file.name)
