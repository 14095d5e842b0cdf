"""The file store on S3 (moto_server, scripts/integration_servers.sh): checked at start-up and by
/healthz, failures answered 503 keeping the user's input, local files migrated and verified."""

from __future__ import annotations

import io
import json
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.core.testing.servers import S3Server, s3_server  # noqa: F401
from huifu.files.models import StoredFile
from huifu.files.services import file_store
from huifu.servicedesk.models import FeedbackForm
from huifu.servicedesk.tests.conftest import seal_upload

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _s3_settings(server: S3Server, bucket: str) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": server.endpoint,
            "access_key": "testing",
            "secret_key": "testing",
            "region_name": "us-east-1",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


def _client(server: S3Server):
    return boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )


@pytest.fixture
def use_s3(settings, s3_server):  # noqa: F811
    """use_s3(create=True) -> bucket name; the default storage becomes that bucket."""

    def apply(*, create: bool = True) -> str:
        bucket = f"huifu-{uuid.uuid4().hex[:12]}"
        if create:
            _client(s3_server).create_bucket(Bucket=bucket)
        settings.STORAGES = {**settings.STORAGES, "default": _s3_settings(s3_server, bucket)}
        return bucket

    return apply


def test_a_missing_bucket_is_reported_by_manage_py_check(use_s3):
    use_s3(create=False)
    with pytest.raises(SystemCheckError) as failed:
        call_command("check")
    assert "files.E001" in str(failed.value) and "cannot be reached" in str(failed.value)


def test_an_existing_bucket_passes_the_check_and_leaves_no_probe_behind(use_s3, s3_server):  # noqa: F811
    bucket = use_s3()
    call_command("check")
    assert _client(s3_server).list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0


def test_healthz_reports_the_store(client, use_s3):
    use_s3(create=False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error" and response.json()["storage"].startswith("unavailable")
    use_s3()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["storage"] == "ok"


def test_a_store_failure_answers_503_and_the_form_keeps_what_was_typed(
    client, use_s3, official_calendar, member_a_admin
):
    login(client, member_a_admin)
    page = client.get(reverse("servicedesk:feedback_new"))
    key = page.context["form"].initial["idempotency_key"]
    use_s3(create=False)  # the bucket is gone
    data = {
        "contact_name": "甲联系人",
        "phone": "021-68400001",
        "email": "contact@alpha.example",
        "form_date": "2024-03-01",
        "suggestions": "1．建议扩大交割库容",
        "help_requests": "",
        "idempotency_key": key,
        "seal_scan": seal_upload(),
    }
    response = client.post(reverse("servicedesk:feedback_new"), data)
    assert response.status_code == 503 and response["Retry-After"]
    body = response.content.decode()
    assert "建议扩大交割库容" in body and "甲联系人" in body
    assert "文件存储" in body  # the message says what failed, in the user's language
    assert FeedbackForm.objects.count() == 0 and StoredFile.objects.count() == 0


def test_the_api_answers_503_storage_unavailable(client, use_s3, official_calendar, member_a_admin):
    login(client, member_a_admin)
    use_s3(create=False)
    data = {
        "contact_name": "张联系",
        "phone": "021-68400000",
        "email": "contact@alpha.example",
        "form_date": "2024-03-01",
        "suggestions": ["建议扩大铜期货交割库容"],
        "seal_scan": seal_upload(),
    }
    response = client.post("/api/v1/feedback/forms/", data=data, HTTP_IDEMPOTENCY_KEY="s3-down-1")
    assert response.status_code == 503, response.content
    assert json.loads(response.content)["error"]["code"] == "storage_unavailable"


def test_files_migrate_copies_local_files_into_the_bucket_and_verifies_them(
    settings,
    use_s3,
    s3_server,  # noqa: F811
    member_a_admin,
    tmp_path,
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    stored = file_store(
        upload=ContentFile(seal_upload().read(), name="公章.png"),
        actor=member_a_admin,
        organisation=member_a_admin.organisation,
        purpose="seal_scan",
    )
    bucket = use_s3()
    assert not StoredFile.objects.get(pk=stored.pk).file.storage.exists(stored.file.name)  # the 404 of the issue
    out = io.StringIO()
    call_command("files_migrate", "--to", "s3", "--from", str(tmp_path), stdout=out)
    assert "copied and verified 1, already in the bucket 0, failed 0" in out.getvalue()
    body = _client(s3_server).get_object(Bucket=bucket, Key=stored.file.name)["Body"].read()
    assert body == seal_upload().read()
    out = io.StringIO()
    call_command("files_migrate", "--to", "s3", "--from", str(tmp_path), stdout=out)  # again: nothing to do
    assert "copied and verified 0, already in the bucket 1, failed 0" in out.getvalue()
    (tmp_path / stored.file.name).write_bytes(b"tampered")
    _client(s3_server).delete_object(Bucket=bucket, Key=stored.file.name)
    with pytest.raises(CommandError):
        call_command("files_migrate", "--to", "s3", "--from", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
