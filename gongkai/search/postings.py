"""Counting terms and gathering postings, fast enough for a county corpus.

At 10,000 documents the index has ~4.4 million (term, document, field) postings from ~7 million
tokens. Python-level work per token or per posting is what made the old index builder slow, so
the loops here run in C: the regex engine finds a field's CJK characters and its overlapping
CJK bigrams (a lookahead), ``Counter`` counts them, and postings are appended to per-term
``array`` objects through ``map`` over bound C methods. ``tokenize`` in ``tokenize.py`` stays the
specification; ``tests/test_search_incremental.py`` checks that both count the same terms.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from gongkai.search.shard_format import FORMAT_VERSION, MAX_REFS, MAX_TF, code_base, term_hash
from gongkai.search.tokenize import CJK_CLASS, LETTER_CLASS, normalize

__all__ = [
    "BUCKETS",
    "FieldCounts",
    "IndexState",
    "Postings",
    "count_terms",
    "field_counts",
    "record_digest",
    "state_token",
]

#: Terms are grouped in this many buckets (``term_hash % BUCKETS``); a shard count is a power of
#: two dividing it, so shard = bucket % shards whatever the count (the term -> bucket memo
#: serves every shard count).
BUCKETS = 4096
_CJK_CHAR = re.compile(f"[{CJK_CLASS}]")
_CJK_PAIR = re.compile(f"(?=([{CJK_CLASS}]{{2}}))")  # every overlapping pair
_OTHER = re.compile(f"[0-9]+|[{LETTER_CLASS}]+")


def count_terms(text: str) -> tuple[Counter[str], int]:
    """``(term -> count, number of tokens)`` of ``tokenize(text)``, without making the token list."""
    s = normalize(text)
    unigrams = _CJK_CHAR.findall(s)
    bigrams = _CJK_PAIR.findall(s)
    others = _OTHER.findall(s)
    counts = Counter(unigrams)
    counts.update(bigrams)
    counts.update(others)
    return counts, len(unigrams) + len(bigrams) + len(others)


def record_digest(values: tuple[object, ...]) -> bytes:
    """Digest of a search record's values (strings and tuples of strings): pickled, unambiguous."""
    return hashlib.blake2b(pickle.dumps(values, protocol=5), digest_size=16).digest()


class _Buckets(dict):  # type: ignore[type-arg]
    """term -> bucket, memoised (a few ten thousand distinct terms, millions of lookups)."""

    def __missing__(self, term: str) -> int:
        bucket = self[term] = term_hash(term) % BUCKETS
        return bucket


FieldCounts = list[tuple[Counter[str], int]]  # per field: (term -> tf, number of tokens)


def field_counts(texts: Sequence[str]) -> FieldCounts:
    """``count_terms`` of each field, term frequencies capped at ``MAX_TF``."""
    out = []
    for text in texts:
        counts, length = count_terms(text)
        if counts and max(counts.values()) > MAX_TF:
            counts = Counter({t: min(n, MAX_TF) for t, n in counts.items()})
        out.append((counts, length))
    return out


class Postings:
    """term -> ascending codes, for documents added in ref order.

    The length of field ``separate`` (the body) is not packed into its codes: it goes to the
    ``search/lengths/`` files instead, so that an edit of a body changes only the postings of
    the terms whose counts changed, not every posting of the document.
    """

    def __init__(self, separate: int) -> None:
        self.lists: defaultdict[str, array[int]] = defaultdict(partial(array, "q"))
        self.separate = separate
        self._buckets = _Buckets()
        self._consume = deque(maxlen=0).extend

    def add(self, ref: int, counted: FieldCounts) -> int:
        """Add document ``ref``'s postings; return their number."""
        if ref >= MAX_REFS:
            raise ValueError(f"search index: more than {MAX_REFS} documents")
        getlist = self.lists.__getitem__
        append = array.append
        size = 0
        for f, (counts, length) in enumerate(counted):
            if not counts:
                continue
            base = code_base(ref, f, 0 if f == self.separate else length)
            self._consume(map(append, map(getlist, counts.keys()), map(base.__add__, counts.values())))
            size += len(counts)
        return size

    def finish(self) -> dict[str, array[int]]:
        """The postings by term."""
        return self.lists

    def bucket(self, term: str) -> int:
        return self._buckets[term]


@dataclass
class IndexState:
    """Kept in the build cache so that the next build can patch the shards it needs."""

    ids: list[str]  # documents in ref order
    digests: list[bytes]  # record_digest of each document's search record
    lengths: list[tuple[int, ...]]  # tokens per field of each document
    sizes: list[int]  # postings of each document (to size shards)
    shards: int
    entry_sizes: list[int] = field(default_factory=list)  # bytes of each document's doc-store entry
    docs_per_chunk: int = 0
    filters: dict[str, list[list[str]]] = field(default_factory=dict)
    token: bytes = b""  # identifies these texts in the TextStore
    version: int = FORMAT_VERSION
    fields: tuple[tuple[str, float], ...] = field(default_factory=tuple)
    terms: int = 0  # estimated dictionary bytes, sum of index.entry_bytes (chooses the shard count)
    blocks: dict[int, list[str]] = field(default_factory=dict)  # shard -> its block files


def state_token(digests: Sequence[bytes]) -> bytes:
    """Names the set of indexed texts (the records' digests in index order) in the TextStore."""
    h = hashlib.blake2b(digest_size=16)
    for d in digests:
        h.update(d)
    return h.digest()
