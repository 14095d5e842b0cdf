"""Form helpers: an upload field that checks size and kind when the form is validated, so the
error shows next to the field instead of after submission."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from .kinds import DEFAULT_KINDS, FileKind
from .validation import max_upload_bytes, validate_upload


class StoredFileField(forms.FileField):
    """A FileField checked with :func:`huifu.files.validation.validate_upload`.

    ``cleaned_data[name]`` is the (checked) upload; pass it to ``file_store`` in the service.
    The widget's ``accept`` attribute lists the allowed extensions as a hint for the browser.
    """

    def __init__(self, *, allowed_kinds: Iterable[FileKind] = DEFAULT_KINDS, **kwargs: Any) -> None:
        self.allowed_kinds = tuple(allowed_kinds)
        super().__init__(**kwargs)
        extensions = sorted({ext for kind in self.allowed_kinds for ext in kind.extensions})
        self.widget.attrs.setdefault("accept", ",".join(extensions))
        self.widget.attrs.setdefault("data-max-bytes", str(max_upload_bytes()))

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and upload is not initial and hasattr(upload, "read"):
            validate_upload(upload, self.allowed_kinds)
        return upload
