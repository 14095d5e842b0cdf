"""A job for the killed-worker integration test (huifu/outbox/tests/test_rq_server.py): its first
run counts itself in Redis and then sleeps long enough to be killed; later runs return at once."""

from __future__ import annotations

import os
import time

import redis
from django_tasks import task


@task()
def count_and_block_once(key: str) -> int:
    client = redis.Redis.from_url(os.environ["HUIFU_REDIS_URL"])
    runs = int(client.incr(key))
    if runs == 1:
        time.sleep(float(os.environ.get("HUIFU_TEST_BLOCK_SECONDS", "20")))
    return runs
