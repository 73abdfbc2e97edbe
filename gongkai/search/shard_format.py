"""The search shard format: raw postings per term, turned into lunr indexes in the browser.

A shard holds, for each of its terms, the list of ``(document, field, field length, term
frequency)`` postings of that term, each packed into one integer::

    window.GongkaiSearch.shard("0a3",{"p":[[code,code,...],...],"t":["term",...]});

``t`` lists the shard's terms in JavaScript (UTF-16) string order, ``p[i]`` the codes of
``t[i]`` in ascending order (that is, by document, then field). A code is
``((ref << 3 | field) << 20 | length) << 10 | tf``: 53 bits at most, so a JavaScript number
holds it exactly.

Why not lunr's own serialised index (which this module wrote until the format changed)?
lunr's BM25 weights use corpus-wide statistics — the number of documents, each field's
average length — so adding a sentence to one document changed every shard, and an
incremental build had to rebuild the whole index. Here a shard depends only on the postings
of its own terms: ``search/meta.js`` carries the corpus-wide numbers, and ``search.js`` computes
lunr's weights while loading a shard (``expandShard``), with the same expression as lunr.js's
``Builder``, then hands lunr.js the result through ``lunr.Index.load``; the queries run in
lunr.js exactly as before. ``lunr_index`` below is the same expansion in Python: the tests
compare it with lunr.py's ``Builder`` and with ``search.js``.

A changed document changes only the shards of its old and new terms, so a rebuild patches
those (``parse_shard`` → edit → ``shard_text``) and keeps every other file. The text is a
function of the postings alone, so a patched shard is byte-identical to a freshly built one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "FORMAT_VERSION",
    "HASH_SCHEME",
    "K1",
    "LUNR_VERSION",
    "MAX_LENGTH",
    "MAX_REFS",
    "MAX_TF",
    "REF_SHIFT",
    "B",
    "code_base",
    "decode",
    "lunr_index",
    "parse_shard",
    "shard_of",
    "shard_text",
    "term_hash",
    "utf16_key",
]

#: Version of the files under ``search/``; ``search.js`` refuses other versions.
FORMAT_VERSION = 3
LUNR_VERSION = "2.3.9"
#: Name of the term -> shard scheme, written to meta.js and checked by search.js.
HASH_SCHEME = "fnv1a32-codepoints-fmix32"
#: lunr's BM25 parameters (lunr.js ``Builder`` defaults).
K1 = 1.2
B = 0.75

TF_BITS = 10
LENGTH_BITS = 20
FIELD_BITS = 3
REF_SHIFT = TF_BITS + LENGTH_BITS + FIELD_BITS  # 33
#: Caps of the packed fields. A term more than 1,023 times in one field, or a field of more
#: than a million tokens, is counted at the cap (BM25 saturates long before either).
MAX_TF = (1 << TF_BITS) - 1
MAX_LENGTH = (1 << LENGTH_BITS) - 1
#: 53 - 33 bits of document number: JavaScript numbers are exact up to 2**53.
MAX_REFS = 1 << (53 - REF_SHIFT)
_M32 = 0xFFFFFFFF


def term_hash(term: str) -> int:
    """FNV-1a over the term's code points, then murmur3's fmix32 so the low bits mix well.

    Code points rather than UTF-8 bytes: a bigram is two steps instead of six. Mirrored in
    ``search.js`` (``termHash``); the scheme name in ``meta.js`` is ``HASH_SCHEME``.
    """
    h = 0x811C9DC5
    for ch in term:
        h = ((h ^ ord(ch)) * 0x01000193) & _M32
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M32
    h ^= h >> 16
    return h


def shard_of(term: str, shard_count: int) -> int:
    """Shard number of a term."""
    return term_hash(term) % shard_count


def utf16_key(term: str) -> bytes:
    """Sort key matching JavaScript string order (UTF-16 code units).

    lunr.js's ``TokenSet.Builder`` throws ``Out of order word insertion`` if terms are not in JS
    order; Python's code-point order differs for astral characters (CJK Ext. B) versus
    U+E000..U+FFFF (e.g. U+FA0E).
    """
    return term.encode("utf-16-be")


def code_base(ref: int, field: int, length: int) -> int:
    """The code of a posting of document ``ref``, field ``field`` (of ``length`` tokens), minus its tf."""
    return ((ref << FIELD_BITS | field) << LENGTH_BITS | min(length, MAX_LENGTH)) << TF_BITS


def decode(code: int) -> tuple[int, int, int, int]:
    """``(ref, field, length, tf)`` of a code."""
    return (
        code >> REF_SHIFT,
        (code >> (TF_BITS + LENGTH_BITS)) & ((1 << FIELD_BITS) - 1),
        (code >> TF_BITS) & MAX_LENGTH,
        code & MAX_TF,
    )


def shard_text(postings: Mapping[str, Sequence[int]], terms: Iterable[str] | None = None) -> str:
    """The JSON of a shard: ``terms`` (default: every key, sorted in JS order) with their codes.

    Canonical: the same postings give the same text, whichever way they were assembled.
    """
    ordered = sorted(postings, key=utf16_key) if terms is None else list(terms)
    lists = "],[".join([",".join(map(str, postings[t])) for t in ordered])
    names = ",".join([json.dumps(t, ensure_ascii=False) for t in ordered])
    return f'{{"p":[[{lists}]],"t":[{names}]}}' if ordered else '{"p":[],"t":[]}'


def parse_shard(text: str) -> dict[str, list[int]]:
    """The postings of a shard's JSON (the inverse of ``shard_text``)."""
    data = json.loads(text)
    return dict(zip(data["t"], data["p"]))


def _round3(x: float) -> float:
    """lunr.js's ``Math.round(score * 1000) / 1000`` (scores are positive)."""
    return math.floor(x * 1000 + 0.5) / 1000


def lunr_index(
    postings: Mapping[str, Sequence[int]], meta: Mapping[str, Any], body_length: Callable[[int], int]
) -> dict[str, Any]:
    """The lunr serialised index of one shard: the Python twin of ``expandShard`` in search.js.

    Weights are lunr.js ``Builder``'s: ``idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * length /
    average length) + tf) * boost``, rounded to 3 decimals, with lunr's idf (documents counted
    once per field they match in). ``meta`` is the content of ``search/meta.js``;
    ``body_length(ref)`` reads ``search/lengths/`` (the body's length is not in its codes).
    """
    fields: list[str] = meta["fields"]
    boosts: list[float] = meta["boosts"]
    n_docs: int = meta["docs"]
    average = [total / n_docs if n_docs else 0.0 for total in meta["lengths"]]
    inverted: list[list[Any]] = []
    vectors: dict[str, list[float]] = {}
    for index, term in enumerate(sorted(postings, key=utf16_key)):
        codes = postings[term]
        with_term = len(codes)
        x = (n_docs - with_term + 0.5) / (with_term + 0.5)
        idf = math.log(1 + abs(x))
        entry: dict[str, Any] = {"_index": index, **{name: {} for name in fields}}
        for code in codes:
            ref, field, length, tf = decode(code)
            if field == meta["body"]:
                length = body_length(ref)
            name = fields[field]
            entry[name][str(ref)] = {}
            norm = K1 * (1 - B + B * (length / average[field]))
            score = idf * ((K1 + 1) * tf) / (norm + tf) * boosts[field]
            vectors.setdefault(f"{name}/{ref}", []).extend((index, _round3(score)))
        inverted.append([term, entry])
    return {
        "fieldVectors": [[key, value] for key, value in vectors.items()],
        "fields": fields,
        "invertedIndex": inverted,
        "pipeline": [],
        "version": LUNR_VERSION,
    }
