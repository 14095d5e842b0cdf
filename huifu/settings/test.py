"""Settings for the test suite: fast hashing, mail kept in memory, jobs run at once."""

import tempfile
from pathlib import Path

from . import *  # noqa: F403
from . import DATABASES, MIDDLEWARE, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The immediate backend runs a job as soon as it is enqueued; jobs are enqueued on commit,
# so tests see exactly what a worker would do after the transaction.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="huifu-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(MEDIA_ROOT)}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not env.str("DATABASE_URL", ""):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
AXES_ENABLED = True
# The API's rate limits are tested with their own small rates (accounts/tests/test_throttling.py);
# elsewhere a busy test must never be throttled by counts left in the cache by earlier tests.
HUIFU_API_RATES = {"user": "100000/minute", "anon": "100000/minute"}
MIDDLEWARE = list(MIDDLEWARE)
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Lets parallel runs share one PostgreSQL server without sharing a test database.
if env.str("HUIFU_TEST_DB_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("HUIFU_TEST_DB_NAME", "")}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="huifu-test-static-"))
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The test runner empties tables with TRUNCATE; production refuses it on the audit table
    # (huifu/audit/migrations/0003_refuse_truncate.py). Only test connections carry this switch.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c huifu.allow_audit_truncate=on"
