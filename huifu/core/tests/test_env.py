from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from huifu.settings.env import Env


def test_sqlite_is_the_default(tmp_path: Path):
    db = Env({}).database(tmp_path / "x.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"


def test_a_sqlite_url_serialises_writers_like_the_default(tmp_path: Path):
    # Several server threads writing at once failed with "database is locked" (a 503).
    db = Env({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}).database(tmp_path / "unused")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["OPTIONS"] == {"timeout": 20, "transaction_mode": "IMMEDIATE"}


def test_database_url_enables_health_checks(tmp_path: Path):
    db = Env({"DATABASE_URL": "postgres://u:p@db:5432/huifu"}).database(tmp_path / "x")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["NAME"] == "huifu"


def test_unknown_database_scheme_is_refused(tmp_path: Path):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        Env({"DATABASE_URL": "mysql://x"}).database(tmp_path / "x")


@pytest.mark.parametrize("raw", ["maybe", "2"])
def test_bad_boolean_names_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="HUIFU_DEBUG"):
        Env({"HUIFU_DEBUG": raw}).bool("HUIFU_DEBUG", False)


def test_bad_integer_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="HUIFU_UPLOAD_MAX_BYTES"):
        Env({"HUIFU_UPLOAD_MAX_BYTES": "20MB"}).int("HUIFU_UPLOAD_MAX_BYTES", 1)


def test_jobs_use_the_database_without_a_broker():
    assert Env({}).tasks()["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_jobs_use_redis_when_configured():
    env = Env({"HUIFU_REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert env.tasks()["default"]["BACKEND"] == "huifu.core.rq.RQBackend"
    assert env.rq_queues() == {"default": {"URL": "redis://127.0.0.1:6379/0"}}


def test_rq_without_redis_is_refused():
    with pytest.raises(ImproperlyConfigured, match="HUIFU_REDIS_URL"):
        Env({"HUIFU_TASKS_BACKEND": "rq"}).tasks()


def test_secret_key_is_generated_once(tmp_path: Path):
    keyfile = tmp_path / "secret"
    first = Env({}).secret_key(keyfile, debug=True)
    assert Env({}).secret_key(keyfile, debug=True) == first
    assert Env({"HUIFU_SECRET_KEY": "from-env"}).secret_key(keyfile, debug=False) == "from-env"


def test_s3_storage_is_private(tmp_path: Path):
    storage = Env({"HUIFU_S3_BUCKET": "huifu"}).file_storage(tmp_path)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["default_acl"] == "private"
