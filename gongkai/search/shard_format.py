"""The search shard format (version 4): a term dictionary in hash shards, postings delta +
varint coded, long posting lists in byte-sized blocks.

A posting is ``(document, field, field length, term frequency)``, in Python packed into one
integer ``((ref << 3 | field) << 20 | length) << 10 | tf`` (``code_base``/``decode``). A shard
is the dictionary of the terms that hash to it (``term_hash % shards``)::

    window.GongkaiSearch.shard("0a3",{"n":[count,...],"p":[entry,...],"t":["term",...]});

``t`` lists the terms in JavaScript (UTF-16) string order (``search.js`` binary-searches it),
``n[i]`` is the number of postings of ``t[i]`` (lunr's document frequency, counted once per
field: enough for the idf without reading the postings) and ``p[i]`` its postings
(``term_entry``): inline as one base64 string when there are at most ``INLINE_POSTINGS``,
else ``[digest, [first ref of each block]]`` with the postings in block files of about
``BLOCK_POSTINGS`` postings each::

    window.GongkaiSearch.block("0a3-5f0c2e9a1b7d-0","base64");

The bytes are ``encode_postings``: per posting, ``(ref - previous ref) << 3 | field``, the
field's length (except the body's: ``search/lengths/``), tf, each a base-128 varint; about 2.3
bytes per posting instead of the 16 of a decimal code. Blocks end at document boundaries and
restart the deltas at their first document, so a query that has narrowed its candidates with
a rarer term loads only the blocks that can hold them.

Why a shard holds no corpus-wide statistic: lunr's BM25 weights use the number of documents
and each field's average length, so weights stored in shards would change every shard when one
document changes. ``search/meta.js`` carries those numbers; ``search.js`` computes lunr.js
``Builder``'s weight for each posting of the query's terms only, when it scores (see
docs/performance.md for why lunr.js itself is no longer loaded). ``lunr_index`` below turns a
shard's postings into the lunr serialised index lunr.js would have built: the tests query it
with lunr.py as the reference the browser's scores must equal.

A changed document changes only the entries of its old and new terms, so a rebuild patches
those shards (``parse_shard`` → ``patch_entry`` → ``shard_text``) and keeps every other file;
``patch_entry`` reads and writes only the blocks from the first changed document's on (only
the blocks holding it when its number of postings stays), and keeps the impact tiers without
reading them all when the changed documents rank below them before and after. Every file is a
function of the postings alone, so a patched shard is byte-identical to a freshly built one.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import heapq
import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "BLOCK_DIR",
    "BLOCK_POSTINGS",
    "FORMAT_VERSION",
    "HASH_SCHEME",
    "INLINE_POSTINGS",
    "K1",
    "LUNR_VERSION",
    "MAX_LENGTH",
    "MAX_REFS",
    "MAX_TF",
    "REF_SHIFT",
    "TIER_DOCS",
    "TIER_MIN",
    "B",
    "b64",
    "block_name",
    "block_path",
    "code_base",
    "decode",
    "decode_postings",
    "encode_postings",
    "entry_blocks",
    "entry_codes",
    "entry_tiers",
    "lunr_index",
    "parse_shard",
    "patch_entry",
    "script",
    "shard_of",
    "shard_text",
    "term_digest",
    "term_entry",
    "term_hash",
    "tier_docs",
    "unb64",
    "utf16_key",
]

#: Version of the files under ``search/``; ``search.js`` refuses other versions.
FORMAT_VERSION = 5
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
_FIELD_SHIFT = TF_BITS + LENGTH_BITS
_FIELD_MASK = (1 << FIELD_BITS) - 1
#: A term with at most this many postings has them inline in its shard (one base64 string).
INLINE_POSTINGS = 192
#: Longer lists go to block files of about this many postings (~2.3 bytes each encoded).
BLOCK_POSTINGS = 1536
#: A list of more than this many postings also has impact tiers (``tier_docs``): copies of the
#: postings of the documents where the term weighs most, so that a query whose every term is
#: common shows a first page without reading whole lists.
TIER_MIN = 2 * BLOCK_POSTINGS
#: Documents in each tier, highest impact first; documents beyond them are only in the blocks.
TIER_DOCS = (128, 512, 2048)
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


def encode_postings(codes: Sequence[int], body: int, start: int = 0) -> bytes:
    """Delta + varint bytes of ascending codes: per posting ``(ref - previous ref) << 3 | field``,
    the field's length (not for the body, whose length is in ``search/lengths/``), then tf;
    each a little-endian base-128 varint. ``start`` is the ref the first delta is taken from."""
    out = bytearray()
    app = out.append
    prev = start
    for c in codes:
        ref = c >> REF_SHIFT
        field = (c >> _FIELD_SHIFT) & _FIELD_MASK
        v = (ref - prev) << FIELD_BITS | field
        prev = ref
        while v > 127:
            app(v & 127 | 128)
            v >>= 7
        app(v)
        if field != body:
            v = (c >> TF_BITS) & MAX_LENGTH
            while v > 127:
                app(v & 127 | 128)
                v >>= 7
            app(v)
        v = c & MAX_TF
        if v > 127:
            app(v & 127 | 128)
            v >>= 7
        app(v)
    return bytes(out)


def decode_postings(data: bytes, body: int, start: int = 0) -> list[int]:
    """The codes of ``encode_postings`` bytes (its inverse; truncated bytes: ``IndexError``).

    A patched county index decodes every long list of the terms an edit touched (300,000
    postings at 18 × 3,000), so the varints are read inline, with a one-byte fast path: the
    nested reader this replaces cost three times as much."""
    out: list[int] = []
    append = out.append
    i, n, prev = 0, len(data), start
    while i < n:
        v = data[i]
        i += 1
        if v > 127:
            v &= 127
            shift = 7
            while True:
                byte = data[i]
                i += 1
                v |= (byte & 127) << shift
                if byte < 128:
                    break
                shift += 7
        field = v & _FIELD_MASK
        prev += v >> FIELD_BITS
        length = 0
        if field != body:
            length = data[i]
            i += 1
            if length > 127:
                length &= 127
                shift = 7
                while True:
                    byte = data[i]
                    i += 1
                    length |= (byte & 127) << shift
                    if byte < 128:
                        break
                    shift += 7
            length = min(length, MAX_LENGTH)
        tf = data[i]
        i += 1
        if tf > 127:
            tf &= 127
            shift = 7
            while True:
                byte = data[i]
                i += 1
                tf |= (byte & 127) << shift
                if byte < 128:
                    break
                shift += 7
        append((((prev << FIELD_BITS | field) << LENGTH_BITS | length) << TF_BITS) + tf)
    return out


def b64(data: bytes) -> str:
    """Standard base64 without padding (``search.js`` decodes it with its own table)."""
    return base64.b64encode(data).decode("ascii").rstrip("=")


def unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


#: Hex digits spelled as letters: a block's name is a string of the published files, which the
#: post-build scan reads for personal data, and 12 hex digits are sometimes a run of ten or
#: eleven decimal ones that read as a mobile number (a 50,000-document build failed on one).
_LETTERS = str.maketrans("0123456789abcdef", "ghijklmnopabcdef")


def term_digest(term: str) -> str:
    """12 letters (48 bits, hex digits written a–p) naming a term's blocks (with its shard: two
    long lists of one shard sharing 48 bits of digest is an error, see ``term_entry``)."""
    return hashlib.blake2b(term.encode("utf-8"), digest_size=6).hexdigest().translate(_LETTERS)


def block_name(shard: str, digest: str, k: int | str) -> str:
    """Name of block ``k`` of a term's postings: the shard, the term's digest, the block number
    (``t<k>`` for impact tier ``k``)."""
    return f"{shard}-{digest}-{k}"


#: The folder of the block files: the only search files a patch adds or removes
#: (``index.patch_bodies(fixed_files=False)``).
BLOCK_DIR = "search/blocks/"


def block_path(name: str) -> str:
    return f"{BLOCK_DIR}{name}.js"


def script(kind: str, key: str | None, payload_json: str) -> bytes:
    """A registration call ``window.GongkaiSearch.<kind>(key, payload);`` as ``search.js`` defines."""
    args = payload_json if key is None else f"{key},{payload_json}"
    return f"window.GongkaiSearch.{kind}({args});\n".encode()


def term_entry(
    shard: str, term: str, codes: Sequence[int], body: int, boosts: Sequence[float] = ()
) -> tuple[Any, dict[str, bytes]]:
    """The shard's entry for one term and the block files it refers to.

    A list of at most ``INLINE_POSTINGS`` postings is inline: one base64 string. A longer one is
    cut into blocks of about ``BLOCK_POSTINGS`` postings, each ending at a document boundary and
    delta-coded from its own first document, in files of their own; the entry is then
    ``[digest, [first ref of each block]]`` so that a query loads only the blocks of its
    candidate documents. A list of more than ``TIER_MIN`` postings also has impact tiers
    (``tier_docs``, given the fields' ``boosts``) in files ``<shard>-<digest>-t<k>``, and the
    entry is ``[digest, [first refs], tier count, number of documents]`` (the count of the shard's
    ``n`` is of postings, one per field; the documents are what an estimated total needs).
    """
    if len(codes) <= INLINE_POSTINGS:
        return b64(encode_postings(codes, body)), {}
    digest = term_digest(term)
    firsts, files = _cut_blocks(shard, digest, codes, body)
    if len(codes) <= TIER_MIN or not boosts:
        return [digest, firsts], files
    tiers = tier_docs(codes, boosts)
    files.update(_tier_files(shard, digest, tiers, body))
    return [digest, firsts, len(tiers), _doc_count(codes)], files


def _cut_blocks(shard: str, digest: str, codes: Sequence[int], body: int, k0: int = 0) -> tuple[list[int], dict[str, bytes]]:
    """Blocks ``k0``, ``k0 + 1``, … of ``codes`` (which start at a block boundary): about
    ``BLOCK_POSTINGS`` postings each, ending at a document boundary, delta-coded from their first
    document. The cut depends only on the codes from the first block on, so a list whose head is
    unchanged can be re-cut from any of its block boundaries (``patch_entry``)."""
    firsts: list[int] = []
    files: dict[str, bytes] = {}
    i, n = 0, len(codes)
    while i < n:
        j = min(n, i + BLOCK_POSTINGS)
        if j < n:  # end at a document boundary: a document's fields stay in one block
            j = bisect_left(codes, ((codes[j - 1] >> REF_SHIFT) + 1) << REF_SHIFT, j)
        first = codes[i] >> REF_SHIFT
        files[block_path(block_name(shard, digest, k0 + len(firsts)))] = _block_file(
            shard, digest, k0 + len(firsts), encode_postings(codes[i:j], body, first))
        firsts.append(first)
        i = j
    return firsts, files


def _block_file(shard: str, digest: str, k: int | str, data: bytes) -> bytes:
    name = block_name(shard, digest, k)
    return script("block", f'"{name}"', f'"{b64(data)}"')


def _tier_files(shard: str, digest: str, tiers: Sequence[Sequence[int]], body: int) -> dict[str, bytes]:
    return {block_path(block_name(shard, digest, f"t{k}")): _block_file(shard, digest, f"t{k}", encode_postings(tier, body))
            for k, tier in enumerate(tiers)}


def _doc_count(codes: Sequence[int]) -> int:
    return len({c >> REF_SHIFT for c in codes})


def _block_codes(data: bytes | None, path: str, body: int, start: int) -> list[int]:
    if data is None:
        raise KeyError(path)
    text = data.decode("utf-8")
    return decode_postings(unb64(json.loads(text[text.index(",") + 1 : -3])), body, start)


def _without(codes: list[int], refs: Sequence[int]) -> list[int]:
    """``codes`` without the postings of documents ``refs`` (a document's postings are one slice)."""
    for ref in refs:
        i = bisect_left(codes, ref << REF_SHIFT)
        if i < len(codes) and codes[i] >> REF_SHIFT == ref:
            del codes[i : bisect_left(codes, (ref + 1) << REF_SHIFT, i)]
    return codes


def patch_entry(
    shard: str, term: str, count: int, entry: Any, refs: Sequence[int], fresh: Sequence[int], body: int,
    boosts: Sequence[float], read: Callable[[str], bytes | None],
) -> tuple[int, Any, dict[str, bytes]]:
    """``(count, entry, files)`` of a term after documents ``refs`` changed: ``fresh`` are their
    new codes of the term, ``(count, entry)`` the old entry (``(0, None)``: a new term). The same
    as ``term_entry`` of the whole new list (``count`` 0 and entry None: no postings left), but
    only the blocks that change are decoded and written; ``files`` holds those (and every tier
    file), the other block files of the entry are the old ones.

    Blocks are cut from the start of the list, so the blocks before the first changed document
    stay as they are. When every changed document keeps its number of postings of the term,
    every cut stays too and only the blocks holding them change; otherwise the list is re-cut
    from the block of the first changed document on. Impact tiers are the top documents by a
    key that only their own postings fix: the new top is found among the old tiers and the
    changed documents, unless too few of those still rank above every document left outside
    the tiers; then (and when a list crosses ``INLINE_POSTINGS`` or ``TIER_MIN``) the whole list
    is decoded and ``term_entry`` makes the entry.
    """
    refs = sorted(set(refs))
    fresh = sorted(fresh)
    if entry is None or isinstance(entry, str) or not refs:
        codes = _without(entry_codes(shard, entry, body, read), refs) if entry is not None else []
        return _whole(shard, term, sorted(codes + fresh), body, boosts)
    digest, old_firsts = entry[0], list(entry[1])
    paths = _ref_blocks(shard, entry)
    decoded: dict[int, list[int]] = {}

    def block(k: int) -> list[int]:
        if k not in decoded:
            decoded[k] = _block_codes(read(paths[k]), paths[k], body, old_firsts[k])
        return decoded[k]

    def all_but_changed() -> list[int]:
        codes: list[int] = []
        for k in range(len(old_firsts)):
            codes += block(k)
        return _without(codes, refs)

    home = [max(0, bisect_right(old_firsts, ref) - 1) for ref in refs]  # the block a changed document is (or would be) in
    old_n = {ref: sum(1 for c in block(k) if c >> REF_SHIFT == ref) for ref, k in zip(refs, home)}
    new_n = dict.fromkeys(refs, 0)
    for c in fresh:
        new_n[c >> REF_SHIFT] += 1
    new_count = count - sum(old_n.values()) + len(fresh)
    if new_count <= INLINE_POSTINGS or (count > TIER_MIN) != (new_count > TIER_MIN):
        return _whole(shard, term, sorted(all_but_changed() + fresh), body, boosts)
    files: dict[str, bytes] = {}
    firsts = old_firsts
    if old_n == new_n:  # every cut stays: rewrite the blocks of the changed documents
        home_of = dict(zip(refs, home))
        for k in sorted(set(home)):
            mine = [c for c in fresh if home_of[c >> REF_SHIFT] == k]
            codes = sorted(_without(list(block(k)), refs) + mine)
            files[paths[k]] = _block_file(shard, digest, k, encode_postings(codes, body, firsts[k]))
    else:  # re-cut from the first changed document's block on
        b = home[0]
        tail: list[int] = []
        for k in range(b, len(old_firsts)):
            tail += block(k)
        tail_firsts, tail_files = _cut_blocks(shard, digest, sorted(_without(tail, refs) + fresh), body, b)
        firsts = old_firsts[:b] + tail_firsts
        files.update(tail_files)
    new_entry: list[Any] = [digest, firsts]
    if new_count <= TIER_MIN or not boosts:
        return new_count, new_entry, files
    docs = int(entry[3]) - sum(1 for n in old_n.values() if n) + sum(1 for n in new_n.values() if n)
    before = [c for k in sorted(set(home)) for c in block(k) if c >> REF_SHIFT in old_n]
    bound = _last_tier_bound(shard, entry, body, boosts, read)
    if bound is not None and all(key > bound for codes in (before, fresh) for key in _doc_keys(codes, boosts)):
        # the changed documents rank below every document of the old tiers, before and after
        return new_count, [digest, firsts, entry_tiers(entry), docs], files
    tiers = _patched_tiers(shard, entry, refs, fresh, body, boosts, read, bound)
    if tiers is None:  # the new top may lie outside the old tiers: rank the whole list
        tiers = tier_docs(sorted(all_but_changed() + fresh), boosts)
    files.update(_tier_files(shard, digest, tiers, body))
    return new_count, [digest, firsts, len(tiers), docs], files


def _whole(shard: str, term: str, codes: list[int], body: int, boosts: Sequence[float]) -> tuple[int, Any, dict[str, bytes]]:
    if not codes:
        return 0, None, {}
    entry, files = term_entry(shard, term, codes, body, boosts)
    return len(codes), entry, files


def _last_tier_bound(shard: str, entry: Any, body: int, boosts: Sequence[float],
                     read: Callable[[str], bytes | None]) -> int | None:
    """The key of the last document in an entry's impact tiers when some of its documents are in
    none (every such document has a greater key), else None."""
    if int(entry[3]) <= sum(TIER_DOCS):
        return None
    path = block_path(block_name(shard, entry[0], f"t{entry_tiers(entry) - 1}"))
    return max(_doc_keys(_block_codes(read(path), path, body, 0), boosts))


def _patched_tiers(
    shard: str, entry: Any, refs: Sequence[int], fresh: Sequence[int], body: int,
    boosts: Sequence[float], read: Callable[[str], bytes | None], bound: int | None,
) -> list[list[int]] | None:
    """The new impact tiers from the old ones and the changed documents' codes, or None when
    they cannot be told without the rest of the list (``bound``: ``_last_tier_bound``)."""
    old: list[int] = []
    for k in range(entry_tiers(entry)):
        path = block_path(block_name(shard, entry[0], f"t{k}"))
        old += _block_codes(read(path), path, body, 0)
    old.sort()
    candidates = sorted(_without(old, refs) + list(fresh))
    # every document outside the old tiers ranks below the last of them: the new top is among
    # the candidates if enough of them still rank at or above it
    if bound is not None and sum(1 for key in _doc_keys(candidates, boosts) if key <= bound) < sum(TIER_DOCS):
        return None
    return tier_docs(candidates, boosts)


def tier_docs(codes: Sequence[int], boosts: Sequence[float]) -> list[list[int]]:
    """The impact tiers of a long list: its documents ordered by how much the term weighs in
    them, cut into groups of ``TIER_DOCS`` documents (the rest is in no tier), each group's
    codes in ascending order.

    The impact of a document is ``sum(boost * tf / (tf + K1))`` over the fields it has the term
    in, each term in millionths (``impact_units``): lunr's BM25 term weight without the length
    normalisation, so a function of the term's postings alone (the body's length is not in its
    codes, and average lengths change with every document): a patched shard stays
    byte-identical to a freshly built one. Ties go to the lower document number.

    Lists run to tens of thousands of postings and every long list has tiers, so this is a few
    passes of comprehensions over integers rather than a loop of Python statements.
    """
    ranked = heapq.nsmallest(sum(TIER_DOCS), _doc_keys(codes, boosts))
    tiers: list[list[int]] = []
    start = 0
    for size in TIER_DOCS:
        group = sorted(key & _REF_MASK for key in ranked[start : start + size])
        if not group:
            break
        tier: list[int] = []
        for ref in group:  # the document's postings: one slice of the ascending codes
            i = bisect_left(codes, ref << REF_SHIFT)
            tier += codes[i : bisect_left(codes, (ref + 1) << REF_SHIFT, i)]
        tiers.append(tier)
        start += size
    return tiers


def _doc_keys(codes: Sequence[int], boosts: Sequence[float]) -> list[int]:
    """Per document of ``codes``, ascending: ``(_IMPACT_CAP - impact) << 21 | ref``, so that
    the smallest keys are the documents the term weighs most in, ties to the lower ref."""
    units = impact_units(tuple(boosts))
    refs = [c >> REF_SHIFT for c in codes]
    weight = [units[(c >> _FIELD_SHIFT & _FIELD_MASK) << TF_BITS | c & MAX_TF] for c in codes]
    # A document's postings are consecutive (one per field): fold the later ones into the first.
    for i in [i for i in range(len(refs) - 1, 0, -1) if refs[i] == refs[i - 1]]:
        weight[i - 1] += weight[i]
        weight[i] = -1
    return [(_IMPACT_CAP - w) << 21 | r for w, r in zip(weight, refs) if w >= 0]


@functools.lru_cache(maxsize=4)
def impact_units(boosts: tuple[float, ...]) -> list[int]:
    """``round(boost * tf / (tf + K1) * 10**6)`` of every (field, tf), at ``field << 10 | tf``."""
    return [round(boosts[f] * tf / (tf + K1) * 1_000_000) if f < len(boosts) else 0
            for f in range(1 << FIELD_BITS) for tf in range(1 << TF_BITS)]


#: More than any document's impact in millionths (every field at the cap of its weight).
_IMPACT_CAP = 1 << 40
_REF_MASK = (1 << 21) - 1


def shard_text(entries: Mapping[str, tuple[int, Any]], terms: Iterable[str] | None = None) -> str:
    """The JSON of a shard: ``terms`` (default: every key, sorted in JS order), their posting
    counts ``n`` and entries ``p`` (see ``term_entry``). Canonical: a function of the postings."""
    ordered = sorted(entries, key=utf16_key) if terms is None else list(terms)
    pairs = [entries[t] for t in ordered]
    counts = json.dumps([n for n, _ in pairs])
    values = json.dumps([e for _, e in pairs], separators=(",", ":"))
    names = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))
    return f'{{"n":{counts.replace(" ", "")},"p":{values},"t":{names}}}'


def parse_shard(text: str) -> dict[str, tuple[int, Any]]:
    """``term -> (posting count, entry)`` of a shard's JSON (the inverse of ``shard_text``)."""
    data = json.loads(text)
    return {t: (n, e) for t, n, e in zip(data["t"], data["n"], data["p"])}


def entry_blocks(shard: str, entry: Any) -> list[str]:
    """Paths of the block files an entry refers to, impact tiers included (none for an inline one)."""
    if isinstance(entry, str):
        return []
    return _ref_blocks(shard, entry) + [block_path(block_name(shard, entry[0], f"t{k}")) for k in range(entry_tiers(entry))]


def entry_tiers(entry: Any) -> int:
    """Number of impact tiers of an entry (0: an inline list, or a list of at most ``TIER_MIN``)."""
    return 0 if isinstance(entry, str) or len(entry) < 3 else int(entry[2])


def _ref_blocks(shard: str, entry: Any) -> list[str]:
    return [block_path(block_name(shard, entry[0], k)) for k in range(len(entry[1]))]


def entry_codes(shard: str, entry: Any, body: int, read: Callable[[str], bytes | None]) -> list[int]:
    """The codes of an entry; ``read(path)`` gives a block file's bytes (None: ``KeyError``)."""
    if isinstance(entry, str):
        return decode_postings(unb64(entry), body)
    codes: list[int] = []
    for path, first in zip(_ref_blocks(shard, entry), entry[1]):
        codes += _block_codes(read(path), path, body, first)
    return codes


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
