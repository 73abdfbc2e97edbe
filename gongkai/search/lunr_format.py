"""Write term-sharded indexes in lunr's serialised format, without lunr.py's Builder.

Why not ``lunr.Builder``: at county scale (10,000 documents of ~800 characters, ~10 million
term/document/field postings) lunr.py spends minutes in per-token ``deepcopy`` and list inserts,
and it builds one global index that we would then have to cut apart. Here the same BM25 weights
are computed with the very same floating-point expression (``lunr/builder.py``,
``_create_field_vectors``) and written straight into one index per shard.

Format (lunr 2.3.9 ``Index.toJSON`` / lunr.py ``Index.serialize``)::

    {"fieldVectors": [["<field>/<ref>", [termIndex, score, ...]], ...],
     "fields": [...],
     "invertedIndex": [["<term>", {"_index": n, "<field>": {"<ref>": {}}, ...}], ...],
     "pipeline": [], "version": "2.3.9"}

Sharding: each term lives in exactly one shard (a stable hash of its UTF-8 bytes), a shard
holds the postings of its terms and, for every document field, a vector restricted to its
terms. Scores use corpus-wide idf and field lengths, so a dot product split across shards sums
to the unsharded one; ``search.js`` undoes the per-shard query normalisation (see
``combine`` there). With one shard the output equals lunr.py's, minus the empty field vectors
lunr.py keeps for empty fields (they can never match); ``tests/test_search_index.py`` checks it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

__all__ = [
    "HASH_SCHEME",
    "K1",
    "LUNR_VERSION",
    "B",
    "TermStats",
    "build_shards",
    "ref_for",
    "shard_of",
    "term_hash",
    "utf16_key",
]

LUNR_VERSION = "2.3.9"
#: Name of the term -> shard scheme, written to meta.js and checked by search.js.
HASH_SCHEME = "fnv1a32-codepoints-fmix32"
K1 = 1.2
B = 0.75
_M32 = 0xFFFFFFFF


def term_hash(term: str) -> int:
    """FNV-1a over the term's code points, then murmur3's fmix32 so the low bits mix well.

    Code points rather than UTF-8 bytes: a bigram is two steps instead of six, which matters
    for the few hundred thousand distinct terms of a county corpus. Mirrored in ``search.js``
    (``termHash``); the scheme name in ``meta.js`` is ``HASH_SCHEME``.
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

    lunr.js's ``TokenSet.Builder`` throws ``Out of order word insertion`` if the serialised terms
    are not in JS order; Python's code-point order differs for astral characters (CJK Ext. B)
    versus U+E000..U+FFFF (e.g. U+FA0E).
    """
    return term.encode("utf-16-be")


def ref_for(number: int, width: int) -> str:
    """Fixed-width base-36 document reference: short, and string order equals number order."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    while number:
        number, rem = divmod(number, 36)
        out.append(digits[rem])
    return "".join(reversed(out)).rjust(width, "0")


def _idf(documents_with_term: int, document_count: int) -> float:
    """lunr's idf, including its quirk of counting a document once per field it matches in."""
    x = (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


class TermStats:
    """First pass over the corpus: what shard sizing and weighting need.

    ``counts[d][f]`` is ``(term -> tf, token count)`` for document d, field f; ``df`` is lunr's
    document frequency (documents counted once per field they match in) and its keys are in
    first-occurrence order (documents, then fields, then tokens: ``Counter.update`` appends new
    keys), which is the order lunr numbers terms in; ``postings`` is the number of
    (term, document, field) triples.
    """

    def __init__(self, field_tokens: Iterable[Sequence[Sequence[str]]], n_fields: int) -> None:
        # An iterable, consumed once: each document's token lists can be freed as soon as they
        # are counted (holding every list at once was most of the peak memory at county scale).
        # Tokens are interned through `vocab`, so the per-document counters share one string
        # object per distinct term instead of holding a copy per document.
        self.counts: list[list[tuple[dict[str, int], int]]] = []
        vocab: dict[str, str] = {}
        intern = vocab.setdefault
        total_length = [0] * n_fields
        self.df: Counter[str] = Counter()
        self.postings = 0
        for tokens_by_field in field_tokens:
            row = []
            for f, tokens in enumerate(tokens_by_field):
                tf = Counter(tokens)
                tf = Counter({intern(term, term): n for term, n in tf.items()})
                row.append((tf, len(tokens)))
                total_length[f] += len(tokens)
                self.postings += len(tf)
                self.df.update(tf.keys())
            self.counts.append(row)
        self.n_docs = n = len(self.counts)
        self.avg_length = [total / n if n else 0.0 for total in total_length]


class _WeightText(dict):  # type: ignore[type-arg]
    """Unrounded weight -> JSON text of ``round(weight, 3)``, memoised.

    ``round(x, 3)`` and ``repr`` go through a correctly rounded decimal conversion that costs
    more than everything else done per posting; but the same (idf, field length) pairs recur
    across documents, so >90% of the millions of weights of a county corpus are cache hits.
    """

    def __missing__(self, weight: float) -> str:
        text = self[weight] = repr(round(weight, 3))
        return text


def build_shards(
    refs: Sequence[str],
    stats: TermStats,
    fields: Sequence[tuple[str, float]],
    shard_count: int,
) -> Iterator[str]:
    """Yield the JSON text of every shard index, in shard-number order.

    ``refs[d]`` is document d's ref, in ascending string order; ``stats`` was computed from the
    token lists of the same documents in the same order, fields in ``fields`` order (each
    ``(name, boost)``). That order fixes lunr's term indices (first occurrence), exactly as
    lunr.py's Builder would. The inner loop runs once per posting (millions), so it only looks
    up, weighs and appends; JSON text is assembled from memoised fragments. The output equals
    ``json.dumps(index, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` (terms are
    letters and digits, refs base-36, field names plain: nothing needs escaping).
    """
    names = [name for name, _ in fields]
    boosts = [boost for _, boost in fields]
    k1_plus_1 = K1 + 1

    # Per term: (shard, shard-local index, idf, idf * (k1 + 1), ref fragments per field).
    # Local indices follow global first occurrence, which is what lunr.py assigns.
    info: dict[str, tuple[int, int, float, float, list[list[str]]]] = {}
    next_index = [0] * shard_count
    shard_terms: list[list[str]] = [[] for _ in range(shard_count)]
    n_docs = stats.n_docs
    for term, documents_with_term in stats.df.items():
        shard = term_hash(term) % shard_count
        idf = _idf(documents_with_term, n_docs)
        info[term] = (shard, next_index[shard], idf, idf * k1_plus_1, [[] for _ in fields])
        next_index[shard] += 1
        shard_terms[shard].append(term)
    index_text = [str(i) for i in range(max(next_index, default=0) + 1)]
    weight_text = _WeightText()

    vectors: list[list[str]] = [[] for _ in range(shard_count)]
    for ref, row in zip(refs, stats.counts):
        ref_fragment = f'"{ref}":{{}}'
        for f, (tf_by_term, length) in enumerate(row):
            if not length:
                continue
            # Same operations in the same order as lunr.py's _create_field_vectors, so that
            # round(..., 3) lands on the same values: idf * ((k1 + 1) * tf) / (norm + tf) * boost
            # (for tf == 1, (k1 + 1) * 1 is exact and norm + 1 is what lunr.py adds).
            norm = K1 * (1 - B + B * (length / stats.avg_length[f]))
            norm_plus_1 = norm + 1
            boost = boosts[f]
            per_shard: dict[int, list[tuple[int, str]]] = {}
            get = per_shard.get
            for term, tf in tf_by_term.items():
                shard, local, idf, idf_k1, refs_by_field = info[term]
                if tf == 1:
                    text = weight_text[idf_k1 / norm_plus_1 * boost]
                else:
                    text = weight_text[idf * (k1_plus_1 * tf) / (norm + tf) * boost]
                elems = get(shard)
                if elems is None:
                    per_shard[shard] = [(local, text)]
                else:
                    elems.append((local, text))
                refs_by_field[f].append(ref_fragment)
            head = f'["{names[f]}/{ref}",['
            for shard, elems in per_shard.items():
                if len(elems) == 1:
                    local, text = elems[0]
                    vectors[shard].append(f"{head}{index_text[local]},{text}]]")
                else:
                    elems.sort()
                    flat = ",".join([f"{index_text[i]},{t}" for i, t in elems])
                    vectors[shard].append(f"{head}{flat}]]")

    field_order = sorted(range(len(names)), key=lambda f: names[f])
    field_keys = [f'"{names[f]}":{{' for f in field_order]
    fields_json = ",".join(f'"{name}"' for name in names)
    for shard in range(shard_count):
        inverted = []
        for term in sorted(shard_terms[shard], key=utf16_key):
            _, local, _, _, refs_by_field = info.pop(term)
            # Refs were appended in document order, which is their string order.
            body = "},".join(
                [key + ",".join(refs_by_field[f]) for key, f in zip(field_keys, field_order)]
            )
            inverted.append(f'["{term}",{{"_index":{local},{body}}}}}]')
        text = (
            f'{{"fieldVectors":[{",".join(vectors[shard])}],"fields":[{fields_json}],'
            f'"invertedIndex":[{",".join(inverted)}],"pipeline":[],"version":"{LUNR_VERSION}"}}'
        )
        vectors[shard] = []  # a shard's parts are freed as soon as its text exists (peak memory)
        yield text
