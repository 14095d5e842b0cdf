"""The file store (local disk or S3) as an infrastructure component: checked at start-up, probed
by ``/healthz``, and its failures during a request answered as 503 "try again" instead of 500.

* ``storage_probe()``: the bucket (or directory) exists and a probe object can be written, read
  back and deleted. Used by the ``files.E001`` system check (``manage.py check``, hence every
  deploy's start-up) and by ``/healthz``.
* ``file_store`` turns a storage failure into :class:`StorageUnavailable`, a ValidationError:
  views and the API already re-render the form with what the user typed and the message;
  :class:`StorageUnavailableMiddleware` then answers 503 with ``Retry-After``. A storage failure
  anywhere else (a download) is answered 503 by the middleware too.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from django.core.checks import Error, register
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

PROBE_PREFIX = "huifu-probe/"
RETRY_AFTER_SECONDS = "30"

_state = threading.local()


def storage_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "the file store failed" (not "this file is missing")."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    except ImportError:  # pragma: no cover - boto3 is a base requirement
        pass
    return tuple(errors)


def is_storage_failure(exc: BaseException) -> bool:
    return isinstance(exc, storage_errors()) and not isinstance(exc, FileNotFoundError)


def describe(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:300]


class StorageUnavailable(ValidationError):
    """The file store failed; nothing was saved. Views show the form again with the input."""

    def __init__(self, cause: BaseException | None = None) -> None:
        super().__init__(
            _(
                "The file store is not available right now, so nothing was saved. What you entered is "
                "kept below: try again in a few minutes."
            ),
            code="storage_unavailable",
        )
        self.cause = cause
        _state.failed = True


def _s3_client_and_bucket(storage: Any) -> tuple[Any, str] | None:
    bucket = getattr(storage, "bucket_name", None)
    connection = getattr(storage, "connection", None)
    if not bucket or connection is None:
        return None
    return connection.meta.client, bucket


def storage_probe(storage: Any = None) -> str | None:
    """None when the store works; otherwise one line saying what failed."""
    storage = storage or default_storage
    s3 = _s3_client_and_bucket(storage)
    name = f"{PROBE_PREFIX}{uuid.uuid4().hex}"
    payload = b"huifu storage probe"
    try:
        if s3 is not None:
            client, bucket = s3
            try:
                client.head_bucket(Bucket=bucket)
            except Exception as exc:  # noqa: BLE001 - every failure here is reported as one line
                return f"S3 bucket {bucket!r} cannot be reached: {describe(exc)}"
            client.put_object(Bucket=bucket, Key=name, Body=payload)
            read = client.get_object(Bucket=bucket, Key=name)["Body"].read()
            client.delete_object(Bucket=bucket, Key=name)
        else:
            saved = storage.save(name, ContentFile(payload))
            with storage.open(saved, "rb") as handle:
                read = handle.read()
            storage.delete(saved)
    except Exception as exc:  # noqa: BLE001
        return f"the file store failed a write/read/delete probe: {describe(exc)}"
    if read != payload:
        return "the file store returned different bytes for the probe object"
    return None


@register("huifu")
def check_storage(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """``manage.py check`` (and every management command that runs checks): with S3 configured,
    the bucket must exist and accept a write, a read and a delete."""
    if _s3_client_and_bucket(default_storage) is None:
        return []  # local disk: created on first write; /healthz probes it
    problem = storage_probe()
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint="Check HUIFU_S3_BUCKET, HUIFU_S3_ENDPOINT_URL and the credentials; create the bucket first.",
            id="files.E001",
        )
    ]


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"error": {"code": "storage_unavailable", "message": str(StorageUnavailable().messages[0])}}, status=503
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


class StorageUnavailableMiddleware:
    """503 + Retry-After when the file store failed during the request: the form re-rendered by
    the view (with the input and the message) keeps its body; an uncaught storage error gets the
    503 page or the API envelope ``storage_unavailable``."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _state.failed = False
        response = self.get_response(request)
        if getattr(_state, "failed", False) and (
            200 <= response.status_code < 300 or 400 <= response.status_code < 500
        ):
            if request.path_info.startswith("/api/"):
                # The client keeps its own request; it needs the code to know to retry.
                _state.failed = False
                return unavailable_response(request)
            response.status_code = 503
            response["Retry-After"] = RETRY_AFTER_SECONDS
        _state.failed = False
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, StorageUnavailable) or is_storage_failure(exception):
            _state.failed = False
            return unavailable_response(request)
        return None
