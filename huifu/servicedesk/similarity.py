"""Similar feedback items by Chinese text similarity.

Text is segmented with jieba (words, not character n-grams); each item stores its tokens and
top TF-IDF keywords when saved (``tokens_for``), so a suggestion costs one indexed query for
candidates sharing a keyword plus a cosine similarity over token-count vectors in Python.
"""

from __future__ import annotations

import gc
import logging
import math
import re
import threading
import warnings
from collections import Counter
from collections.abc import Iterable

_lock = threading.Lock()
_ready = False

# Particles and punctuation that carry no topic.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "是",
        "在",
        "对",
        "为",
        "将",
        "等",
        "也",
        "就",
        "都",
        "而",
        "及其",
        "或",
        "并",
        "把",
        "被",
        "让",
        "请",
        "希望",
        "建议",
        "我们",
        "我司",
        "贵所",
        "交易所",
        "公司",
        "进一步",
        "能否",
        "是否",
        "可以",
        "相关",
        "目前",
        "一些",
        "有关",
        "问题",
        "情况",
        "方面",
        "进行",
        "提高",
        "支持",
        "考虑",
    ]
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")


def _jieba():  # noqa: ANN202
    """jieba, initialised once and quietly (its dictionary load logs to stderr by default)."""
    global _ready
    import jieba

    if not _ready:
        with _lock, warnings.catch_warnings():
            if not _ready:
                # jieba.analyse opens its IDF file without closing it: a ResourceWarning at GC.
                warnings.simplefilter("ignore", ResourceWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                import jieba.analyse  # noqa: F401

                jieba.initialize()
                gc.collect()
                _ready = True
    return jieba


def warm_up() -> None:
    """Load jieba's dictionary and IDF table now (about 2 s, up to 10 s on a busy machine).
    Called once per web worker by ``huifu.wsgi`` before it serves, so the first Member Voice
    submission costs what the next one does; tests and management commands never import it and
    pay the load only if they segment text."""
    _jieba()


def is_ready() -> bool:
    return _ready


def tokenize(text: str) -> list[str]:
    jieba = _jieba()
    words = []
    for word in jieba.lcut(text or ""):
        word = word.strip().lower()
        if len(word) < 2 and not word.isdigit() or word in STOPWORDS or not _WORD.search(word):
            continue
        words.append(word)
    return words


def keywords(text: str, top: int = 6) -> list[str]:
    _jieba()
    import jieba.analyse

    return [w for w in jieba.analyse.extract_tags(text or "", topK=top * 2) if w not in STOPWORDS][:top]


def tokens_for(text: str) -> tuple[str, str]:
    """(tokens, keywords) to store on an item: space separated, keywords wrapped in spaces."""
    kws = keywords(text)
    return " ".join(tokenize(text)), (" " + " ".join(kws) + " ")[:200]


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def rank(
    tokens: str, candidates: Iterable[tuple[object, str]], threshold: float = 0.2, limit: int = 5
) -> list[tuple[object, float]]:
    """The ``limit`` candidates (object, tokens) most similar to ``tokens``, best first."""
    base = Counter(tokens.split())
    scored = [(obj, cosine(base, Counter(t.split()))) for obj, t in candidates]
    scored = [(obj, s) for obj, s in scored if s >= threshold]
    scored.sort(key=lambda pair: pair[1], reverse=True)
    return scored[:limit]
