"""No cold start (issue #9): the web worker loads jieba when it imports the WSGI application,
so the first Member Voice submission does not pay the dictionary load."""

from __future__ import annotations

import importlib
import sys

import jieba

from huifu.servicedesk import similarity


def test_wsgi_import_loads_the_dictionary_and_the_first_submission_does_not(submit, monkeypatch):
    monkeypatch.setattr(similarity, "_ready", False)
    loads = []
    real_initialize = jieba.initialize
    monkeypatch.setattr(jieba, "initialize", lambda *a, **kw: (loads.append(1), real_initialize(*a, **kw)))
    monkeypatch.delitem(sys.modules, "huifu.wsgi", raising=False)

    importlib.import_module("huifu.wsgi")
    assert similarity.is_ready()
    assert loads == [1]

    form = submit()  # the first submission in this "worker": segments its items without a load
    assert loads == [1]
    assert all(item.tokens and item.keywords.strip() for item in form.items.all())


def test_segmentation_loads_on_demand_outside_a_web_worker(monkeypatch):
    monkeypatch.setattr(similarity, "_ready", False)
    assert similarity.tokenize("建议下调期权做市商手续费")
    assert similarity.is_ready()
