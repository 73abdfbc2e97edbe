"""Build the files of the site's search: term shards and blocks, document store, facets and ``meta.js``.

Layout under the site root (every file is a classic script calling ``window.GongkaiSearch``,
because ``fetch`` and workers do not work from ``file://``)::

    search/meta.js              shard count, hash scheme, chunk sizes, filter options, shared constants
    search/shards/<hex>.js      the dictionary of the terms that hash to the shard: posting counts,
                                rare terms' postings inline (shard_format.py)
    search/blocks/<name>.js     a block of a long posting list (~1,500 postings, by document range)
    search/lengths/<n>.js       body lengths of 256 consecutive documents (for BM25)
    search/docs/<n>.js          display data of one or two consecutive documents (title, url, text)
    search/facets/<n>.js        compact area/kind/year/village codes, loaded only to filter

Why this split: a query loads the shards its terms hash to (small, ~5 KB), then only the blocks
of long lists that can hold a document the rarer terms left, the lengths of the documents found
and the display chunks of the first page; the index grows with the corpus but the bytes of one
query grow far less. Filters need codes for every candidate, so they live in tiny separate
chunks instead of forcing every display chunk to load. docs/performance.md has the figures.
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from gongkai.search.postings import (
    BUCKETS,
    FieldCounts,
    IndexState,
    Postings,
    field_counts,
    record_digest,
    state_token,
)
from gongkai.search.shard_format import (
    FORMAT_VERSION,
    HASH_SCHEME,
    INLINE_POSTINGS,
    K1,
    LUNR_VERSION,
    MAX_REFS,
    B,
    entry_blocks,
    parse_shard,
    patch_entry,
    shard_text,
    term_entry,
    utf16_key,
)
from gongkai.search.synonyms import expand
from gongkai.search.textstore import HeldTexts, TextStore
from gongkai.search.tokenize import (
    CJK_CLASS,
    DIGIT_CLASS,
    DROP_CLASS,
    LETTER_CLASS,
    MAX_QUERY_TERMS,
)

__all__ = [
    "FIELDS",
    "Head",
    "IndexBuild",
    "SearchRecord",
    "build_index",
    "build_search_files",
    "count_head",
    "shared_constants",
    "store_texts",
]

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

#: Aim for shards (term dictionaries) around this size: a phrase query of n characters loads
#: up to n - 1 of them, so they must be small; long posting lists are in blocks of their own
#: (shard_format.term_entry), so a common term does not make its shard large.
TARGET_SHARD_BYTES = 5_000
MAX_SHARDS = 4096
#: Aim for doc-store chunks of about this size: a page of 10 results loads 10 chunks at most,
#: so each holds one or two documents (the stored text is most of an entry).
TARGET_CHUNK_BYTES = 6_000
MIN_DOCS_PER_CHUNK = 1
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


def entry_bytes(term: str, count: int) -> int:
    """Estimated bytes of a term's shard entry: a function of its posting count alone, so that a
    patch can update the index's total from the changed terms (``choose_shard_count``)."""
    return len(term.encode()) + 8 + (3 * count if count <= INLINE_POSTINGS else 24)


def choose_shard_count(dictionary_bytes: int) -> int:
    """The power of two nearest (in ratio) to estimated dictionary bytes / ``TARGET_SHARD_BYTES``."""
    ratio = dictionary_bytes / TARGET_SHARD_BYTES
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


@dataclass
class IndexBuild:
    """The search files of a build, and what the next build needs to patch them."""

    files: dict[str, bytes]  # files to write
    reused: list[str] = field(default_factory=list)  # shard files unchanged since the previous build
    state: IndexState | None = None
    patched: int = -1  # shards rewritten by a patch; -1: built from scratch
    changed: list[int] = field(default_factory=list)  # refs of the documents a patch changed
    removed: list[str] = field(default_factory=list)  # block files of the previous build no longer made


@dataclass
class Head:
    """The postings of the first half of the documents, counted by another process.

    A clean build splits the counting (most of the index's work) over two processes:
    ``count_head`` counts the first half while ``build_index(head=…)`` counts the rest and
    assembles the files. Postings ascend by document, so the head's lists simply continue.
    """

    ids: list[str]
    lists: dict[str, Any]  # term -> array of codes
    lengths: list[tuple[int, ...]]
    sizes: list[int]


def _ordered(records: Sequence[SearchRecord]) -> list[SearchRecord]:
    """Records in index order: oldest first (date, then id). A new document is most often the
    newest, so it is numbered after every other and the index is patched, not rebuilt (`_patch`)."""
    return sorted(records, key=lambda r: (r.date, r.id))


def _digests(ordered: Sequence[SearchRecord]) -> list[bytes]:
    values = attrgetter(*(f.name for f in fields(SearchRecord)))
    return [record_digest(values(r)) for r in ordered]


def store_texts(records: Sequence[SearchRecord], store: TextStore) -> None:
    """Put every record's texts in ``store`` as a build from scratch of ``records`` would.

    A split clean build does this in the head's process, while the other assembles the files
    (the build itself is then given no store).
    """
    ordered = _ordered(records)
    store.put(((r.id, _field_texts(r)) for r in ordered), state_token(_digests(ordered)), replace_all=True)


def count_head(records: Sequence[SearchRecord]) -> Head:
    """Count the first half (in index order) of ``records`` for ``build_index(head=…)``."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        ordered = _ordered(records)[: len(records) // 2]
        postings = Postings(BODY)
        lengths: list[tuple[int, ...]] = []
        sizes: list[int] = []
        for ref, record in enumerate(ordered):
            counted = field_counts(_field_texts(record))
            lengths.append(tuple(length for _, length in counted))
            sizes.append(postings.add(ref, counted))
        return Head([r.id for r in ordered], dict(postings.finish()), lengths, sizes)
    finally:
        if was_enabled:
            gc.enable()


#: Index of the body in ``FIELDS``: its lengths live in ``search/lengths/`` (see Postings).
BODY = [name for name, _ in FIELDS].index("b")
BOOSTS = tuple(boost for _, boost in FIELDS)
LENGTHS_PER_CHUNK = 256


def build_search_files(
    records: Sequence[SearchRecord],
    *,
    shard_count: int | None = None,
    docs_per_chunk: int | None = None,
) -> dict[str, bytes]:
    """Return ``{relative path under the site root: bytes}`` for every search file."""
    return build_index(records, shard_count=shard_count, docs_per_chunk=docs_per_chunk).files


def build_index(
    records: Sequence[SearchRecord],
    *,
    previous: IndexState | None = None,
    read_shard: Callable[[str], bytes | None] | None = None,
    store: TextStore | None = None,
    shard_count: int | None = None,
    docs_per_chunk: int | None = None,
    head: Callable[[], Head | None] | None = None,
) -> IndexBuild:
    """Build the search files, patching the previous build's shards when that is possible.

    Deterministic: records are sorted (date, then id) before anything is numbered, so the same
    records in any order give byte-identical files, and a patched build gives the files a
    build from scratch would (``tests/test_search_incremental.py``).

    Patching needs ``previous`` (the ``state`` of the previous ``IndexBuild``), ``read_shard(path)``
    (that build's file, or None if it is gone) and ``store`` (the texts that build indexed):
    the old and new term counts of each changed document give the terms whose postings
    changed, and only their shards are rebuilt; every other shard is listed in ``reused``. Any
    doubt (documents added, removed or renumbered, another shard count, a missing or unreadable
    file, a store from another build) means a build from scratch. ``store`` also receives the
    texts of this build. ``shard_count`` (a power of two up to 4,096) and ``docs_per_chunk``
    override the size-based choices (tests use them to force sharding on tiny corpora). ``head``
    returns the result of ``count_head`` on the same records, made by another process: called
    once the second half is counted, it saves counting the first half when building from
    scratch (a head that does not match is ignored).

    The cyclic garbage collector is paused meanwhile: the build allocates millions of small
    acyclic objects, and collections triggered by them rescan the whole growing heap.
    """
    if shard_count is not None and (shard_count < 1 or shard_count > BUCKETS or shard_count & (shard_count - 1)):
        raise ValueError(f"shard_count must be a power of two up to {BUCKETS}")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        ordered = _ordered(records)
        dupes = sorted(i for i, n in Counter(r.id for r in ordered).items() if n > 1)
        if dupes:
            raise ValueError(f"duplicate search record ids: {', '.join(dupes)}")
        if len(ordered) > MAX_REFS:
            raise ValueError(f"search index: more than {MAX_REFS} documents")
        digests = _digests(ordered)
        ids = [r.id for r in ordered]
        build = None
        if previous is not None and read_shard is not None and store is not None and shard_count is None:
            build = _patch(ordered, ids, digests, previous, read_shard, store)
        if build is None:
            build = _from_scratch(ordered, ids, digests, shard_count, store, head)
            previous = None
        build.files.update(_store_files(ordered, docs_per_chunk, build, previous))
        build.files = dict(sorted(build.files.items()))
        return build
    finally:
        if was_enabled:
            gc.enable()


def _shard_path(number: int, count: int) -> tuple[str, str]:
    name = f"{number:0{_hex_width(count)}x}"
    return name, f"search/shards/{name}.js"


def _shard_file(name: str, entries: Any, terms: Sequence[str] | None = None) -> bytes:
    return _script("shard", f'"{name}"', shard_text(entries, terms))


def _shard_payload(data: bytes) -> str:
    """The JSON inside a shard script (``window.GongkaiSearch.shard("0a",{…});``)."""
    text = data.decode("utf-8")
    if not text.startswith("window.GongkaiSearch.shard(") or not text.endswith(");\n"):
        raise ValueError("not a shard script")
    return text[text.index(",{") + 1 : -3]


def _count_range(ordered: Sequence[SearchRecord], start: int, stop: int, postings: Postings) -> tuple[list[tuple[int, ...]], list[int]]:
    lengths: list[tuple[int, ...]] = []
    sizes: list[int] = []
    for ref in range(start, stop):
        counted = field_counts(_field_texts(ordered[ref]))
        lengths.append(tuple(length for _, length in counted))
        sizes.append(postings.add(ref, counted))
    return lengths, sizes


def _from_scratch(
    ordered: Sequence[SearchRecord], ids: list[str], digests: list[bytes], shard_count: int | None,
    store: TextStore | None, head: Callable[[], Head | None] | None = None,
) -> IndexBuild:
    """Count every document and write every shard.

    With ``head`` (a clean build split over two processes), the second half is counted here
    first, then ``head()`` gives the first half's postings (waiting for the other process if
    need be); a head that does not match is counted here instead. Postings ascend by document,
    so the first half's lists are simply continued with the second half's.
    """
    middle = len(ordered) // 2 if head is not None else 0
    postings = Postings(BODY)
    tail_lengths, tail_sizes = _count_range(ordered, middle, len(ordered), postings)
    lists: dict[str, Any] = postings.finish()
    if middle:
        first = head() if head is not None else None
        if first is None or first.ids != ids[:middle] or not len(first.lengths) == len(first.sizes) == middle:
            counter = Postings(BODY)
            first_lengths, first_sizes = _count_range(ordered, 0, middle, counter)
            first = Head(ids[:middle], dict(counter.finish()), first_lengths, first_sizes)
        merged = first.lists
        for term, codes in lists.items():
            earlier = merged.get(term)
            if earlier is None:
                merged[term] = codes
            else:
                earlier.extend(codes)
        lists = merged
        lengths, sizes = first.lengths + tail_lengths, first.sizes + tail_sizes
    else:
        lengths, sizes = tail_lengths, tail_sizes
    n_terms = sum([entry_bytes(term, len(codes)) for term, codes in lists.items()])
    n_shards = shard_count or choose_shard_count(n_terms)
    token = state_token(digests)
    if store is not None:
        store.put(((r.id, _field_texts(r)) for r in ordered), token, replace_all=True)
    by_shard: list[list[str]] = [[] for _ in range(n_shards)]
    for term in lists:
        by_shard[postings.bucket(term) % n_shards].append(term)
    files: dict[str, bytes] = {}
    blocks: dict[int, list[str]] = {}
    for number, terms in enumerate(by_shard):
        terms.sort(key=utf16_key)
        name, path = _shard_path(number, n_shards)
        entries: dict[str, tuple[int, Any]] = {}
        for term in terms:  # free each term's postings once encoded (peak memory)
            codes = lists.pop(term)
            entry, block_files = term_entry(name, term, codes, BODY, BOOSTS)
            entries[term] = (len(codes), entry)
            if block_files:
                _add_blocks(files, block_files)
                blocks.setdefault(number, []).extend(block_files)
        files[path] = _shard_file(name, entries, terms)
    blocks = {number: sorted(paths) for number, paths in blocks.items()}
    state = IndexState(ids, digests, lengths, sizes, n_shards, token=token, fields=FIELDS, terms=n_terms, blocks=blocks)
    return IndexBuild(files, state=state)


def _add_blocks(files: dict[str, bytes], block_files: dict[str, bytes]) -> None:
    """Add a term's block files; two long lists of one shard with one digest would share names."""
    if not files.keys().isdisjoint(block_files):
        raise ValueError("search index: two terms of one shard share a block digest")
    files.update(block_files)


def _changed_terms(old: FieldCounts, new: FieldCounts) -> set[str]:
    """Terms whose postings differ between two versions of a document."""
    out: set[str] = set()
    for f, ((old_counts, old_length), (new_counts, new_length)) in enumerate(zip(old, new)):
        if f != BODY and old_length != new_length:  # the length is in every code of the field
            out.update(old_counts)
            out.update(new_counts)
        else:
            out.update(t for t, _ in old_counts.items() ^ new_counts.items())
    return out


def _patch(
    ordered: Sequence[SearchRecord], ids: list[str], digests: list[bytes], previous: IndexState,
    read_shard: Callable[[str], bytes | None], store: TextStore,
) -> IndexBuild | None:
    """Rebuild only the shards of terms whose postings changed, or None (start afresh).

    The previous build's documents must keep their numbers: the same ids first, in the same
    order; documents added after them (the newest) are changed documents without old texts."""
    known = len(previous.ids)
    if previous.version != FORMAT_VERSION or previous.fields != FIELDS or ids[:known] != previous.ids:
        return None
    changed = [ref for ref in range(known) if digests[ref] != previous.digests[ref]] + list(range(known, len(ids)))
    texts = {ref: _field_texts(ordered[ref]) for ref in changed}
    edited = [ids[ref] for ref in changed if ref < known]
    # the store must be the previous build's even when only new documents are counted: it is
    # marked as this build's below, and the next patch trusts every text in it
    old_texts = store.get(edited, previous.token) if changed else {}
    if old_texts is None:
        return None
    lengths = list(previous.lengths) + [()] * (len(ids) - known)
    sizes = list(previous.sizes) + [0] * (len(ids) - known)
    postings = Postings(BODY)
    terms: set[str] = set()
    nothing = field_counts(("",) * len(FIELDS))
    for ref in changed:
        counted = field_counts(texts[ref])
        lengths[ref] = tuple(length for _, length in counted)
        sizes[ref] = postings.add(ref, counted)
        terms |= _changed_terms(field_counts(old_texts[ids[ref]]) if ref < known else nothing, counted)
    fresh = postings.finish()
    n_shards = previous.shards
    by_shard: dict[int, list[str]] = {}
    for term in terms:
        by_shard.setdefault(postings.bucket(term) % n_shards, []).append(term)
    files: dict[str, bytes] = {}
    blocks = {number: list(paths) for number, paths in previous.blocks.items()}
    n_terms = previous.terms
    for number, shard_terms in sorted(by_shard.items()):
        name, path = _shard_path(number, n_shards)
        old = read_shard(path)
        if old is None:
            return None
        try:
            shard = parse_shard(_shard_payload(old))
            dropped: set[str] = set()
            for term in shard_terms:
                known = shard.get(term)
                count, entry, block_files = patch_entry(
                    name, term, *(known or (0, None)), changed, fresh[term].tolist() if term in fresh else [],
                    BODY, BOOSTS, read_shard)
                if known:
                    dropped.update(entry_blocks(name, known[1]))
                if count:
                    shard[term] = (count, entry)
                    files.update(block_files)
                    paths = entry_blocks(name, entry)
                    dropped.difference_update(paths)
                    blocks[number] = sorted(set(blocks.get(number, [])).union(paths))
                else:
                    shard.pop(term, None)
                n_terms += (entry_bytes(term, count) if count else 0) - (entry_bytes(term, known[0]) if known else 0)
        except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
            return None
        kept = sorted(set(blocks.pop(number, [])) - dropped)
        if kept:
            blocks[number] = kept
        text = _shard_file(name, shard)
        if text != old:  # a long list's entry may stay the same while its blocks change
            files[path] = text
    if choose_shard_count(n_terms) != n_shards:
        return None
    for path in [p for p in files if p.startswith("search/blocks/")]:
        if read_shard(path) == files[path]:
            del files[path]
    state = IndexState(ids, digests, lengths, sizes, n_shards, token=state_token(digests), fields=FIELDS,
                       terms=n_terms, blocks=blocks)
    state.entry_sizes = list(previous.entry_sizes)
    if changed:
        store.put(((ids[ref], texts[ref]) for ref in changed), state.token, replace_all=False)
    reused = [path for path in (_shard_path(n, n_shards)[1] for n in range(n_shards)) if path not in files]
    reused += sorted(p for paths in blocks.values() for p in paths if p not in files)
    patched = sum(p.startswith("search/shards/") for p in files)
    return IndexBuild(files, reused, state, patched=patched, changed=changed)


def _chunk_files(
    files: dict[str, bytes], build: IndexBuild, kind: str, n_docs: int, per: int, item: Callable[[int], str],
    reusable: bool,
) -> None:
    """``search/<kind>/<c>.js``: the items of documents ``c * per`` up to ``(c + 1) * per``, as a
    ``GongkaiSearch.<kind>`` call. With ``reusable``, a chunk without changed documents goes to
    ``build.reused`` instead of being made again."""
    changed = set(build.changed)
    for c in range(max(1, -(-n_docs // per))):
        refs = range(c * per, min(n_docs, (c + 1) * per))
        path = f"search/{kind}/{c}.js"
        if reusable and not changed.intersection(refs):
            build.reused.append(path)
        else:
            files[path] = _script(kind, str(c), f"[{','.join(item(ref) for ref in refs)}]")


def _store_files(
    ordered: Sequence[SearchRecord], docs_per_chunk: int | None, build: IndexBuild, previous: IndexState | None
) -> dict[str, bytes]:
    """Doc store, facets, body lengths and meta.js, from the records.

    After a patch (``previous`` given), a doc-store or facet chunk without changed documents
    is added to ``build.reused`` instead of being made again, when the chunk size and the
    filter lists are what they were.
    """
    state = build.state
    assert state is not None
    files: dict[str, bytes] = {}
    n_docs = len(ordered)
    entries: dict[int, str] = {}

    def entry(ref: int) -> str:
        if ref not in entries:
            entries[ref] = _dumps(_doc_entry(ordered[ref]))
        return entries[ref]

    if previous is None or len(state.entry_sizes) != n_docs:
        state.entry_sizes = [len(entry(ref).encode()) for ref in range(n_docs)]
    else:
        for ref in build.changed:
            state.entry_sizes[ref] = len(entry(ref).encode())
    if docs_per_chunk is None:
        average = sum(state.entry_sizes) / n_docs if n_docs else 1
        docs_per_chunk = int(TARGET_CHUNK_BYTES // max(average, 1))
        docs_per_chunk = max(MIN_DOCS_PER_CHUNK, min(MAX_DOCS_PER_CHUNK, docs_per_chunk))
    state.docs_per_chunk = docs_per_chunk
    same_chunks = previous is not None and previous.docs_per_chunk == docs_per_chunk
    _chunk_files(files, build, "docs", n_docs, docs_per_chunk, entry, same_chunks)

    options = _filter_options(ordered)
    state.filters = options
    codes = {
        name: {value: i for i, (value, _) in enumerate(opts)} for name, opts in options.items()
    }
    same_facets = previous is not None and previous.filters == options
    _chunk_files(files, build, "facets", n_docs, FACETS_PER_CHUNK,
                 lambda ref: _dumps(_facet_row(ordered[ref], codes)), same_facets)
    _chunk_files(files, build, "lengths", n_docs, LENGTHS_PER_CHUNK, lambda ref: str(state.lengths[ref][BODY]), False)

    files["search/meta.js"] = _meta_file(state)
    return files


def shared_constants() -> dict[str, Any]:
    """The constants ``search.js`` must share with Python, as ``meta.js`` carries them.

    Defined once, in ``tokenize`` and ``shard_format``; ``search.js`` reads them from
    ``meta.js`` (its tokeniser is built from the classes, its weights from ``bm25``) and checks
    ``hash`` and ``version`` against the algorithm and format it implements.
    """
    return {
        "bm25": {"b": B, "k1": K1},
        "hash": HASH_SCHEME,
        "maxTerms": MAX_QUERY_TERMS,
        "tokenizer": {"cjk": CJK_CLASS, "digits": DIGIT_CLASS, "drop": DROP_CLASS, "letters": LETTER_CLASS},
        "version": FORMAT_VERSION,
    }


def _meta_file(state: IndexState) -> bytes:
    """``search/meta.js``: what search.js needs before the first query."""
    totals = [sum(column) for column in zip(*state.lengths)] if state.lengths else [0] * len(FIELDS)
    meta = {
        "body": BODY,
        "boosts": [boost for _, boost in FIELDS],
        "docs": len(state.ids),
        "docsPerChunk": state.docs_per_chunk,
        "facetsPerChunk": FACETS_PER_CHUNK,
        "fields": [name for name, _ in FIELDS],
        "filters": state.filters,
        "lengths": totals,
        "lengthsPerChunk": LENGTHS_PER_CHUNK,
        "lunr": LUNR_VERSION,
        "shardWidth": _hex_width(state.shards),
        "shards": state.shards,
        **shared_constants(),
    }
    return _script("meta", None, _dumps(meta))


def patch_bodies(
    previous: IndexState, changed: Sequence[SearchRecord], read_file: Callable[[str], bytes | None], store: TextStore,
    *, fixed_files: bool = True,
) -> IndexBuild | None:
    """The search files after ``changed`` documents changed, made from the previous build's state
    and files alone: what a quick rebuild uses, without the records of unchanged documents.

    The same files as ``build_index`` over all records would give, provided that the unchanged
    documents' records are the ones ``previous`` indexed. Anything that would move a document
    in the index or change the filters (another area, year, kind or village; a new shard count
    or chunk size; a missing or unreadable file) gives None: build with ``build_index`` instead.
    So does a patch that adds or removes a file (a posting list gaining or losing a block or an
    impact tier), unless ``fixed_files`` is false: then the new block files are among the
    build's files and the ones no longer made in ``removed``, for a caller that writes and
    deletes search files itself (the county; a quick rebuild). ``store`` receives the new texts only when the
    patch succeeds.
    """
    if previous.version != FORMAT_VERSION or previous.fields != FIELDS or not previous.docs_per_chunk:
        return None
    refs = {doc_id: ref for ref, doc_id in enumerate(previous.ids)}
    values = attrgetter(*(f.name for f in fields(SearchRecord)))
    ordered: dict[int, SearchRecord] = {}
    digests = list(previous.digests)
    for record in changed:
        ref = refs.get(record.id)
        if ref is None or ref in ordered:
            return None
        ordered[ref] = record
        digests[ref] = record_digest(values(record))
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        held = HeldTexts(store)
        build = _patch(ordered, previous.ids, digests, previous, read_file, held)  # type: ignore[arg-type]
        if build is None or build.state is None:
            return None
        before, after = _block_set(previous), _block_set(build.state)
        if before != after:  # a list gained or lost a block or tier
            if fixed_files:
                return None
            build.removed = sorted(before - after)
        state = build.state
        state.filters = previous.filters
        state.docs_per_chunk = per = previous.docs_per_chunk
        n_docs = len(previous.ids)
        codes = {name: {value: i for i, (value, _) in enumerate(opts)} for name, opts in previous.filters.items()}
        entries = {ref: _dumps(_doc_entry(ordered[ref])) for ref in build.changed}
        for ref, text in entries.items():
            state.entry_sizes[ref] = len(text.encode())
        average = sum(state.entry_sizes) / n_docs if n_docs else 1
        if max(MIN_DOCS_PER_CHUNK, min(MAX_DOCS_PER_CHUNK, int(TARGET_CHUNK_BYTES // max(average, 1)))) != per:
            return None
        files = build.files
        touched = set(build.changed)
        for kind, size in (("docs", per), ("facets", FACETS_PER_CHUNK)):
            for c in sorted({ref // size for ref in touched}):
                rows = _chunk_rows(read_file(f"search/{kind}/{c}.js"), kind, c)
                if rows is None or len(rows) != min(n_docs, (c + 1) * size) - c * size:
                    return None
                if kind == "facets":  # a document's facets must not have changed
                    if any(_dumps(rows[ref - c * size]) != _dumps(_facet_row(ordered[ref], codes))
                           for ref in touched if ref // size == c):
                        return None
                    continue
                items = [_dumps(row) for row in rows]
                for ref in touched:
                    if ref // size == c:
                        items[ref - c * size] = entries[ref]
                files[f"search/docs/{c}.js"] = _script("docs", str(c), f"[{','.join(items)}]")
        lengths = IndexBuild({}, [], state, changed=build.changed)
        _chunk_files(files, lengths, "lengths", n_docs, LENGTHS_PER_CHUNK, lambda ref: str(state.lengths[ref][BODY]), True)
        files["search/meta.js"] = _meta_file(state)
        build.files = dict(sorted(files.items()))
        held.flush()
        return build
    finally:
        if was_enabled:
            gc.enable()


def _block_set(state: IndexState) -> set[str]:
    return {path for paths in state.blocks.values() for path in paths}


def _chunk_rows(data: bytes | None, kind: str, chunk: int) -> list[Any] | None:
    """The rows of a ``search/<kind>/<chunk>.js`` file, or None if it is missing or not one."""
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head = f"window.GongkaiSearch.{kind}({chunk},"
    if not text.startswith(head) or not text.endswith(");\n"):
        return None
    try:
        rows = json.loads(text[len(head) : -3])
    except ValueError:
        return None
    return rows if isinstance(rows, list) else None
