"""Realistic vocabulary for the benchmark corpus: words drawn by frequency from jieba's dict.txt.

jieba (pinned in the ``bench`` extra) ships a list of about 349,000 Chinese words with their
corpus frequencies. ``generate.py --vocab real`` appends to every document a paragraph of
sentences drawn from it, so the search index sees the long tail of a real vocabulary (many
distinct bigrams) rather than only the few hundred words of ``vocab.py``.
"""

from __future__ import annotations

import random
from functools import lru_cache
from importlib import resources
from itertools import accumulate

PUNCTUATION = "，，，，。；、"


@lru_cache(maxsize=1)
def word_list() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """``(words, cumulative frequencies)`` of the all-CJK words of jieba's dictionary."""
    words: list[str] = []
    freqs: list[int] = []
    with (resources.files("jieba") / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]):
                words.append(parts[0])
                freqs.append(int(parts[1]))
    return tuple(words), tuple(accumulate(freqs))


def paragraph(rng: random.Random, words: int) -> str:
    """About ``words`` words drawn by frequency, cut into clauses, ending in 。"""
    vocab, cum = word_list()
    drawn = rng.choices(vocab, cum_weights=cum, k=words)
    out: list[str] = []
    for i, word in enumerate(drawn, 1):
        out.append(word)
        if i % rng.randint(5, 12) == 0 and i < words:
            out.append(rng.choice(PUNCTUATION))
    return "".join(out) + "。"
