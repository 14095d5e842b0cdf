import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import translation

from huifu.audit.models import AuditAction, AuditEvent
from huifu.files.kinds import DOCX, IMAGE_KINDS, OFD, PDF, PNG, XLSX, detect_kind
from huifu.files.models import StoredFile
from huifu.files.services import file_store

from .conftest import (
    EXE_BYTES,
    HTML_BYTES,
    MINIMAL_PDF,
    PNG_BYTES,
    docx_bytes,
    ofd_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def store(f, **kwargs):
    kwargs.setdefault("actor", None)
    kwargs.setdefault("organisation", None)
    kwargs.setdefault("purpose", "test")
    return file_store(upload=f, **kwargs)


def test_pdf_is_stored_with_hash_type_and_one_audit_entry(db, member_a_admin, org_a):
    stored = store(upload("2025年度报告.pdf", MINIMAL_PDF, "text/html"), actor=member_a_admin, organisation=org_a)
    assert stored.original_name == "2025年度报告.pdf"
    assert stored.content_type == "application/pdf"  # from the content, not the client's claim
    assert stored.size == len(MINIMAL_PDF)
    assert stored.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert stored.uploaded_by == member_a_admin
    assert stored.organisation == org_a
    with default_storage.open(stored.file.name, "rb") as fh:
        assert fh.read() == MINIMAL_PDF
    events = AuditEvent.objects.for_object(stored)
    assert [e.action for e in events] == [AuditAction.CREATE]
    assert events[0].actor == member_a_admin


def test_storage_path_does_not_contain_the_original_name(db):
    stored = store(upload("secret-合同.pdf", MINIMAL_PDF))
    assert "secret" not in stored.file.name
    assert "合同" not in stored.file.name
    assert ".pdf" not in stored.file.name
    assert stored.id.hex in stored.file.name


def test_path_components_in_the_name_are_dropped(db):
    stored = store(upload("../../etc/报告.pdf", MINIMAL_PDF))
    assert stored.original_name == "报告.pdf"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("会员名单.docx", docx_bytes(), DOCX),
        ("会员名单.xlsx", xlsx_bytes(), XLSX),
        ("发票.ofd", ofd_bytes(), OFD),
        ("图.png", PNG_BYTES, PNG),
        ("通知.PDF", MINIMAL_PDF, PDF),
    ],
)
def test_kinds_are_detected_by_content(db, name, content, kind):
    f = upload(name, content)
    assert detect_kind(f) is kind
    stored = store(f)
    assert stored.content_type == kind.content_type


def test_oversize_file_is_refused_with_name_and_limit(db, settings):
    settings.HUIFU_UPLOAD_MAX_BYTES = 1024 * 1024
    big = MINIMAL_PDF + b"0" * (2 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        store(upload("大文件.pdf", big))
    assert exc.value.code == "too_large"
    message = exc.value.messages[0]
    assert "大文件.pdf" in message
    assert "1 MB" in message
    assert StoredFile.objects.count() == 0


def test_oversize_message_is_translated(db, settings):
    settings.HUIFU_UPLOAD_MAX_BYTES = 1024 * 1024
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        store(upload("大文件.pdf", MINIMAL_PDF + b"0" * (2 * 1024 * 1024)))
    assert "大文件.pdf" in exc.value.messages[0]
    assert "MB" in exc.value.messages[0]
    assert "files may be at most" not in exc.value.messages[0]


@pytest.mark.parametrize(("name", "content"), [("invoice.pdf", EXE_BYTES), ("通知.pdf", HTML_BYTES)])
def test_executable_or_html_renamed_to_pdf_is_refused(db, name, content):
    with pytest.raises(ValidationError) as exc:
        store(upload(name, content, "application/pdf"))
    assert exc.value.code == "kind_not_allowed"
    assert name in exc.value.messages[0]
    assert StoredFile.objects.count() == 0


def test_extension_that_disagrees_with_content_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        store(upload("scan.pdf", PNG_BYTES, "application/pdf"))
    assert exc.value.code == "extension_mismatch"
    assert "scan.pdf" in exc.value.messages[0]
    assert "PNG" in exc.value.messages[0]


def test_plain_zip_named_docx_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        store(upload("伪装.docx", zip_bytes({"readme.txt": b"hello"})))
    assert exc.value.code == "kind_not_allowed"


def test_docx_named_xlsx_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        store(upload("名单.xlsx", docx_bytes()))
    assert exc.value.code == "extension_mismatch"


def test_kind_outside_allowed_kinds_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        store(upload("报告.pdf", MINIMAL_PDF), allowed_kinds=IMAGE_KINDS)
    assert exc.value.code == "kind_not_allowed"
    assert "PNG" in exc.value.messages[0]


def test_empty_file_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        store(upload("空.pdf", b""))
    assert exc.value.code == "empty"
