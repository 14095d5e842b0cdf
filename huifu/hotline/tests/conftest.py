from __future__ import annotations

import pytest

from huifu.hotline import services


@pytest.fixture
def make_call(msc_user):
    def make(actor=None, **fields):
        fields.setdefault("caller_name", "陈先生")
        fields.setdefault("question", "期权做市商申请需要哪些材料？")
        fields.setdefault("topic", "trading")
        return services.call_log(actor=actor or msc_user, **fields)

    return make
