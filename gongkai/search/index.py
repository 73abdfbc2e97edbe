"""Build the files of the site's search: term shards, document store, facets and ``meta.js``.

Layout under the site root (every file is a classic script calling ``window.GongkaiSearch``,
because ``fetch`` and workers do not work from ``file://``)::

    search/meta.js            shard count, hash scheme, chunk sizes, filter options (small)
    search/shards/<hex>.js    one lunr index per shard, holding the terms that hash to it
    search/docs/<n>.js        display data of consecutive documents (title, url, snippet text)
    search/facets/<n>.js      compact area/kind/year/village codes, loaded only to filter

Why this split: a query loads the few shards its terms hash to, then the doc chunks of the
results on screen; the total size of the index grows with the corpus but the bytes of one query
do not (much). Filters need codes for every candidate, so they live in tiny separate chunks
instead of forcing every display chunk to load.
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.search.lunr_format import (
    HASH_SCHEME,
    LUNR_VERSION,
    TermStats,
    build_shards,
    ref_for,
)
from gongkai.search.synonyms import expand
from gongkai.search.tokenize import MAX_QUERY_TERMS, tokenize

__all__ = ["FIELDS", "SearchRecord", "build_search_files"]

#: lunr field name -> boost. One-letter names because every posting repeats them.
#: t=title, n=文号, i=索引号, c=catalog (area, item, kind), v=villages, b=body.
FIELDS: tuple[tuple[str, float], ...] = (
    ("t", 10),
    ("n", 8),
    ("i", 6),
    ("c", 3),
    ("v", 2),
    ("b", 1),
)

#: Aim for shards around this size so a multi-term query stays far below 1.5 MB. Larger
#: shards mean fewer (document, field, shard) vectors, which is most of the build time after
#: the postings themselves; common terms make their shards large whatever the count.
TARGET_SHARD_BYTES = 64_000
#: Serialised bytes per (term, document, field) posting: 28 to 36 measured on generated corpora.
BYTES_PER_POSTING = 32
MAX_SHARDS = 4096
#: Aim for doc-store chunks of about this size; a page of 10 results touches at most 10.
TARGET_CHUNK_BYTES = 16_000
MIN_DOCS_PER_CHUNK = 4
MAX_DOCS_PER_CHUNK = 200
#: Facet rows are ~15 bytes; 1,000 of them per file keeps filtering a 10k corpus to ≤ 10 files.
FACETS_PER_CHUNK = 1000
#: The stored snippet source is the body's start; matches further in still rank, and the
#: snippet then shows the opening lines.
SNIPPET_CHARS = 800

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchRecord:
    """One document as the search sees it (built by the site generator from the catalog)."""

    id: str
    url: str
    title: str
    doc_number: str
    index_number: str
    kind: str
    date: str
    area: str
    area_slug: str
    item: str
    villages: tuple[str, ...]
    village_slugs: tuple[str, ...]
    attribute_label: str
    body: str


def _year(date: str) -> str:
    """The year of an ISO date ("2024" of "2024-10-28"); "" when there is none."""
    return date[:4] if len(date) >= 4 and date[:4].isdigit() else ""


def _public_body(record: SearchRecord) -> str:
    """The body, unless the document is 依申请公开: then nothing, whatever the caller passed.

    Callers are meant to pass ``""`` for such documents; this is the second lock on the door,
    because indexing (or showing in a snippet) a non-public text is the one mistake the search
    must never make.
    """
    return "" if "依申请" in record.attribute_label else record.body


def _field_texts(record: SearchRecord) -> tuple[str, ...]:
    """Texts of the lunr fields, in ``FIELDS`` order."""
    # No date: the year is in the 索引号 (and is a filter), and month/day numbers would make
    # "12号" match every December document.
    catalog = " ".join(x for x in (record.area, record.item, record.kind) if x)
    return (
        expand(record.title),
        record.doc_number,
        record.index_number,
        catalog,
        " ".join(record.villages),
        expand(_public_body(record)),
    )


def _dumps(value: Any) -> str:
    """Canonical JSON; U+2028/9 escaped so the text is safe inside a script in old engines."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script(kind: str, key: str | None, payload_json: str) -> bytes:
    """Wrap a JSON payload in the registration call ``search.js`` defines."""
    args = payload_json if key is None else f"{key},{payload_json}"
    return f"window.GongkaiSearch.{kind}({args});\n".encode()


def _hex_width(count: int) -> int:
    return max(1, len(f"{max(count - 1, 0):x}"))


def choose_shard_count(postings: int) -> int:
    """The power of two nearest (in ratio) to estimated index bytes / ``TARGET_SHARD_BYTES``."""
    ratio = postings * BYTES_PER_POSTING / TARGET_SHARD_BYTES
    if ratio <= 1:
        return 1
    return min(MAX_SHARDS, 2 ** round(math.log2(ratio)))


def _doc_entry(record: SearchRecord) -> dict[str, Any]:
    """Display data for one result; short keys because chunks are downloaded per query."""
    text = _SPACES.sub(" ", _public_body(record)).strip()[:SNIPPET_CHARS]
    return {
        "a": record.area,
        "d": record.date,
        "i": record.index_number,
        "k": record.kind,
        "l": record.attribute_label,
        "m": record.item,
        "n": record.doc_number,
        "t": record.title,
        "u": record.url,
        "v": list(record.villages),
        "x": text,
    }


def _filter_options(records: Sequence[SearchRecord]) -> dict[str, list[list[str]]]:
    """Filter values and labels, each sorted so the output is deterministic."""
    areas: dict[str, str] = {}
    villages: dict[str, str] = {}
    for r in records:
        if r.area_slug:
            name = r.area or r.area_slug
            areas[r.area_slug] = min(areas.get(r.area_slug, name), name)
        for slug, name in zip(r.village_slugs, r.villages):
            villages[slug] = min(villages.get(slug, name), name)
    kinds = sorted({r.kind for r in records if r.kind})
    years = sorted({_year(r.date) for r in records if _year(r.date)}, reverse=True)
    return {
        "area": [[slug, areas[slug]] for slug in sorted(areas)],
        "kind": [[k, k] for k in kinds],
        "village": [[slug, villages[slug]] for slug in sorted(villages)],
        "year": [[y, y] for y in years],
    }


def _facet_row(record: SearchRecord, codes: dict[str, dict[str, int]]) -> list[Any]:
    """``[area, kind, year, [villages...]]`` as indices into meta's filter lists (-1 = none)."""
    return [
        codes["area"].get(record.area_slug, -1),
        codes["kind"].get(record.kind, -1),
        codes["year"].get(_year(record.date), -1),
        sorted(codes["village"][s] for s in record.village_slugs if s in codes["village"]),
    ]


def build_search_files(
    records: Sequence[SearchRecord],
    *,
    shard_count: int | None = None,
    docs_per_chunk: int | None = None,
) -> dict[str, bytes]:
    """Return ``{relative path under the site root: bytes}`` for every search file.

    See ``_build`` for the rules. The cyclic garbage collector is paused meanwhile: the build
    allocates millions of small acyclic objects, and collections triggered by them rescan the
    whole growing heap (measured: 40% of the build time at 2,000 documents).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(records, shard_count, docs_per_chunk)
    finally:
        if was_enabled:
            gc.enable()


def _build(
    records: Sequence[SearchRecord], shard_count: int | None, docs_per_chunk: int | None
) -> dict[str, bytes]:
    """Return ``{relative path under the site root: bytes}`` for every search file.

    Deterministic: records are sorted (area, then id) before anything is numbered, so the same
    records in any order give byte-identical files. ``shard_count`` and ``docs_per_chunk``
    override the size-based choices (tests use them to force sharding on tiny corpora).
    """
    ordered = sorted(records, key=lambda r: (r.area_slug, r.id))
    dupes = sorted(i for i, n in Counter(r.id for r in ordered).items() if n > 1)
    if dupes:
        raise ValueError(f"duplicate search record ids: {', '.join(dupes)}")

    n_docs = len(ordered)
    ref_width = len(ref_for(max(n_docs - 1, 0), 1))
    refs = [ref_for(i, ref_width) for i in range(n_docs)]
    tokens = ([tokenize(text) for text in _field_texts(r)] for r in ordered)  # consumed once
    stats = TermStats(tokens, len(FIELDS))
    n_shards = shard_count or choose_shard_count(stats.postings)
    shard_width = _hex_width(n_shards)

    files: dict[str, bytes] = {}
    for number, text in enumerate(build_shards(refs, stats, FIELDS, n_shards)):
        name = f"{number:0{shard_width}x}"
        files[f"search/shards/{name}.js"] = _script("shard", f'"{name}"', text)

    entries = [_dumps(_doc_entry(r)) for r in ordered]
    if docs_per_chunk is None:
        average = sum(len(e.encode()) for e in entries) / n_docs if n_docs else 1
        docs_per_chunk = int(TARGET_CHUNK_BYTES // max(average, 1))
        docs_per_chunk = max(MIN_DOCS_PER_CHUNK, min(MAX_DOCS_PER_CHUNK, docs_per_chunk))
    n_chunks = max(1, -(-n_docs // docs_per_chunk))
    for c in range(n_chunks):
        body = ",".join(entries[c * docs_per_chunk : (c + 1) * docs_per_chunk])
        files[f"search/docs/{c}.js"] = _script("docs", str(c), f"[{body}]")

    options = _filter_options(ordered)
    codes = {
        name: {value: i for i, (value, _) in enumerate(opts)} for name, opts in options.items()
    }
    rows = [_dumps(_facet_row(r, codes)) for r in ordered]
    for c in range(max(1, -(-n_docs // FACETS_PER_CHUNK))):
        body = ",".join(rows[c * FACETS_PER_CHUNK : (c + 1) * FACETS_PER_CHUNK])
        files[f"search/facets/{c}.js"] = _script("facets", str(c), f"[{body}]")

    meta = {
        "docs": n_docs,
        "docsPerChunk": docs_per_chunk,
        "facetsPerChunk": FACETS_PER_CHUNK,
        "fields": [name for name, _ in FIELDS],
        "filters": options,
        "hash": HASH_SCHEME,
        "lunr": LUNR_VERSION,
        "maxTerms": MAX_QUERY_TERMS,
        "refWidth": ref_width,
        "shardWidth": shard_width,
        "shards": n_shards,
        "version": 1,
    }
    files["search/meta.js"] = _script("meta", None, _dumps(meta))
    return dict(sorted(files.items()))
