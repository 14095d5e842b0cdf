"""Side records of Excel transfers: the export audit entry and keeping the uploaded file."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record

from ..xlsx import IMPORT_FILE_PURPOSE


def export_record(*, actor: Any, what: str, count: int) -> None:
    """Exports carry personal data (names, phones, e-mails): each one is written to the audit trail."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            target_label=_("directory %(what)s export") % {"what": what},
            changes={"what": what, "rows": count},
        )


def keep_upload(*, upload: Any, actor: Any) -> Any | None:
    """Keep the uploaded import file in the file store, which also checks by content that it is an
    .xlsx workbook (raising ValidationError with a clear message otherwise). The stored file belongs
    to the exchange (organisation None), so only staff can download it again."""
    try:
        from huifu.files.kinds import XLSX
        from huifu.files.services import file_store
    except ImportError:  # the files app is optional for the directory; the importer checks the content too
        return None
    stored = file_store(
        upload=upload, actor=actor, organisation=None, purpose=IMPORT_FILE_PURPOSE, allowed_kinds=(XLSX,)
    )
    upload.seek(0)
    return stored
