"""`entry_patch.patch_entry` against `term_entry` of the whole new list, for all inputs.

Small block sizes, so that a list of a few hundred postings has many blocks, forced cuts and
tiers; the patched entry and files must be exactly the fresh ones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import shard_format as sf
from gongkai.search.entry_patch import patch_entry

SHARD, TERM, BODY = "0a3", "村务", 1
BOOSTS = (10.0, 1.0, 2.0)


@contextmanager
def small() -> Iterator[None]:
    with mock.patch.multiple(sf, INLINE_POSTINGS=4, BLOCK_POSTINGS=8, TIER_MIN=16, TIER_DOCS=(2, 4, 8)):
        yield


postings = st.lists(st.tuples(st.integers(0, 2), st.integers(1, 40), st.integers(1, 9)), max_size=3)


def doc_codes(ref: int, fields: list[tuple[int, int, int]]) -> list[int]:
    """The codes of one document: one posting per distinct field."""
    seen: dict[int, tuple[int, int]] = {}
    for field, length, tf in fields:
        seen.setdefault(field, (length, tf))
    return [sf.code_base(ref, f, length) + tf for f, (length, tf) in sorted(seen.items())]


@st.composite
def lists_and_changes(draw: st.DrawFn) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    n = draw(st.integers(1, 300))
    density = draw(st.sampled_from([1.0, 0.5, 0.1]))
    docs: dict[int, list[int]] = {}
    for ref in range(n):
        if draw(st.floats(0, 1)) < density:
            codes = doc_codes(ref, draw(postings))
            if codes:
                docs[ref] = codes
    refs = draw(st.lists(st.integers(0, n + 3), min_size=1, max_size=3, unique=True))
    changes = {ref: doc_codes(ref, draw(postings)) for ref in refs}
    return docs, changes


def flat(docs: dict[int, list[int]]) -> list[int]:
    return [c for ref in sorted(docs) for c in docs[ref]]


def check(docs: dict[int, list[int]], changes: dict[int, list[int]], boosts: tuple[float, ...]) -> bool:
    old_codes = flat(docs)
    new_docs = {ref: codes for ref, codes in {**docs, **changes}.items() if codes}
    new_codes = flat(new_docs)
    old_entry, old_files = sf.term_entry(SHARD, TERM, old_codes, BODY, boosts)
    want_entry, want_files = sf.term_entry(SHARD, TERM, new_codes, BODY, boosts)
    got = patch_entry(SHARD, old_entry, len(old_codes), changes, BODY, boosts, old_files.get)
    if got is None:
        return False
    count, entry, files = got
    assert count == len(new_codes)
    assert entry == want_entry
    assert set(files) <= set(want_files)
    kept = {p: old_files[p] for p in sf.entry_blocks(SHARD, entry) if p not in files}
    assert {**kept, **files} == want_files
    return True


@settings(max_examples=300, deadline=None)
@given(lists_and_changes())
def test_patch_equals_a_fresh_list_without_tiers(case: tuple[dict[int, list[int]], dict[int, list[int]]]) -> None:
    docs, changes = case
    with small():
        patched = check(docs, changes, ())
        long_before = len(flat(docs)) > sf.INLINE_POSTINGS
        after = flat({ref: c for ref, c in {**docs, **changes}.items() if c})
        if long_before and len(after) > sf.INLINE_POSTINGS:
            assert patched, "a long list that stays long is always patched"


@settings(max_examples=300, deadline=None)
@given(lists_and_changes())
def test_patch_equals_a_fresh_list_with_tiers(case: tuple[dict[int, list[int]], dict[int, list[int]]]) -> None:
    docs, changes = case
    with small():
        check(docs, changes, BOOSTS)


def test_an_edit_rewrites_only_its_own_block() -> None:
    """One document of a 3,000-document list gains a posting: one block file and the tiers are
    made again, every other block keeps its bytes (with counted blocks, all after it moved)."""
    docs = {ref: [sf.code_base(ref, BODY, 50) + 1 + ref % 3] for ref in range(0, 6000, 2)}
    old_codes = flat(docs)
    entry, files = sf.term_entry(SHARD, TERM, old_codes, BODY, BOOSTS)
    assert len(entry[1]) > 3
    changes = {1001: [sf.code_base(1001, BODY, 40) + 2]}
    got = patch_entry(SHARD, entry, len(old_codes), changes, BODY, BOOSTS, files.get)
    assert got is not None
    count, new_entry, new_files = got
    blocks = [p for p in new_files if not p.endswith(("-t0.js", "-t1.js", "-t2.js"))]
    assert len(blocks) == 1
    assert count == len(old_codes) + 1 and new_entry[1] == entry[1]
