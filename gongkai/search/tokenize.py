"""Tokeniser shared (by specification) between the index builder and ``search.js``.

Why bigrams: Chinese has no spaces, and a word segmenter in Python (jieba) and one in the
browser (``Intl.Segmenter``) disagree, so ``预算`` would miss ``财政预算``. Overlapping character
bigrams are deterministic on both sides. Unigrams are indexed too so that a one-character query
(``村``) finds something. Runs of Latin letters and digits stay whole so that ``2024``, ``12`` or
the parts of an index number ``11450324MB1234567X`` (``11450324``, ``mb``, ``1234567``, ``x``)
are terms: digits and letters are split apart so that ``MB1234567X`` typed alone still finds
the document (its query terms are the same parts).

The character classes and the query-term cap are written into ``search/meta.js``
(``index.shared_constants``), and ``templates/assets/search.js`` builds its tokeniser from them:
they are defined here only. The rules (bigrams, the order of tokens) are mirrored line by line
in ``search.js``; the parity test runs both on the same strings.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import islice
from operator import add

__all__ = ["CJK_CLASS", "DIGIT_CLASS", "DROP_CLASS", "LETTER_CLASS", "MAX_QUERY_TERMS", "normalize", "query_terms", "tokenize"]

#: Characters indexed as CJK (unigrams + bigrams): 々, 〇 (as in 二〇二四), CJK Ext. A, the
#: unified ideographs, the compatibility block (NFKC keeps a few of them), and Ext. B to H.
CJK_CLASS = "\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"

#: Letters kept together as one run: ASCII and Latin-1/Extended-A/B letters (pinyin with tone
#: marks). Digit runs are separate terms. Everything else (punctuation, 〔〕, spaces, ``-``,
#: ``/``) separates.
LETTER_CLASS = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f"

#: Digits: one run per maximal sequence.
DIGIT_CLASS = "0-9"

#: A pasted paragraph must not turn into hundreds of required terms and shard loads.
MAX_QUERY_TERMS = 32

_RUN = re.compile(f"([{CJK_CLASS}]+)|([{DIGIT_CLASS}]+|[{LETTER_CLASS}]+)")


#: Quotation and title marks are dropped, not treated as separators: “三公”经费 must read as
#: 三公经费 so that the query 三公经费 finds it (a separator would lose the 公经 bigram).
#: (A regex, not ``str.translate``: translate looks every character up in a dict, which costs
#: a third of the normalising time on Chinese text; the regex scans in C.)
DROP_CLASS = "\u201c\u201d\u2018\u2019\"'\u300c\u300d\u300e\u300f\u300a\u300b\u3008\u3009"
_DROP = re.compile(f"[{DROP_CLASS}]+")


def normalize(text: str) -> str:
    """NFKC, lowercase, quotation/title marks dropped: ``Ⅲ`` → ``iii``, ``“三公”经费`` → ``三公经费``."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def _runs(text: str) -> list[tuple[str, str]]:
    """Split normalised text into ``(cjk_run, "")`` or ``("", digit_or_letter_run)`` pairs."""
    return _RUN.findall(normalize(text))


def tokenize(text: str) -> list[str]:
    """Index-side tokens: for each CJK run ``c1 c1c2 c2 c2c3 … cn``; digit and letter runs whole.

    The interleaved order is part of the contract (lunr term indices follow first
    occurrence), so keep it stable.
    """
    out: list[str] = []
    for run, other in _runs(text):
        n = len(run)
        if n > 1:
            merged: list[str] = [""] * (2 * n - 1)
            merged[0::2] = run
            merged[1::2] = map(add, run, islice(run, 1, None))  # the bigrams, built in C
            out.extend(merged)
        else:
            out.append(run or other)
    return out


def query_terms(text: str) -> list[str]:
    """Terms the browser requires (AND) for a user query.

    A CJK run of two or more characters needs only its bigrams (a document containing every
    bigram contains the unigrams too); a lone character is searched as a unigram. Duplicates are
    dropped keeping first occurrence, and at most ``MAX_QUERY_TERMS`` terms are kept.
    """
    seen: dict[str, None] = {}
    for run, other in _runs(text):
        if len(run) > 1:
            for i in range(len(run) - 1):
                seen.setdefault(run[i : i + 2], None)
        else:
            seen.setdefault(run or other, None)
    return list(seen)[:MAX_QUERY_TERMS]
