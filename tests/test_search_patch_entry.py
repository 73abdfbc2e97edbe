"""`shard_format.patch_entry` (a rebuild's edit of one term's entry, reading only the blocks it
needs) gives exactly what `term_entry` gives for the whole new list: entry, count and files."""

from __future__ import annotations

import json
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import shard_format
from gongkai.search.index import BODY, BOOSTS, FIELDS
from gongkai.search.shard_format import code_base, entry_blocks, patch_entry, term_entry

SMALL = {"INLINE_POSTINGS": 4, "BLOCK_POSTINGS": 6, "TIER_MIN": 12, "TIER_DOCS": (2, 3, 5)}


def _doc(draw: st.DrawFn, ref: int, fields: list[int] | None = None) -> list[int]:
    if fields is None:
        fields = sorted(draw(st.sets(st.integers(0, len(FIELDS) - 1), min_size=1, max_size=3)))
    return [code_base(ref, f, 0 if f == BODY else draw(st.integers(0, 3))) + draw(st.integers(1, 4)) for f in fields]


@st.composite
def _edits(draw: st.DrawFn) -> tuple[dict[int, list[int]], dict[int, list[int]], list[int]]:
    """An old list (documents → codes), the new one after some documents changed, the changed refs."""
    top = draw(st.sampled_from([30, 150]))
    present = draw(st.permutations(range(top + 1)))[: draw(st.integers(0, top))]
    old = {ref: _doc(draw, ref) for ref in sorted(present)}
    pick = st.sampled_from(present) | st.integers(0, top + 3) if present else st.integers(0, top + 3)
    changed = sorted(draw(st.sets(pick, min_size=1, max_size=4)))
    new = dict(old)
    for ref in changed:
        how = draw(st.sampled_from(["gone", "same fields", "new", "kept"]))
        if how == "gone":
            new.pop(ref, None)
        elif how == "same fields" and ref in old:  # same number of postings: every cut stays
            new[ref] = _doc(draw, ref, [(c >> 30) & 7 for c in old[ref]])
        elif how == "new":
            new[ref] = _doc(draw, ref)
    return old, new, changed


def _flat(docs: dict[int, list[int]]) -> list[int]:
    return [c for ref in sorted(docs) for c in docs[ref]]


def _json(value: object) -> object:
    return json.loads(json.dumps(value))


@settings(max_examples=250, deadline=None)
@given(_edits(), st.booleans())
def test_a_patched_entry_is_the_entry_of_the_whole_new_list(edit: tuple, boosted: bool) -> None:
    old, new, changed = edit
    boosts = BOOSTS if boosted else ()
    with mock.patch.multiple(shard_format, **SMALL):
        old_codes, new_codes = _flat(old), _flat(new)
        old_entry, old_files = term_entry("0a", "词", old_codes, BODY, boosts) if old_codes else (None, {})
        fresh = [c for ref in changed for c in new.get(ref, [])]
        read_paths: list[str] = []

        def read(path: str) -> bytes | None:
            read_paths.append(path)
            return old_files.get(path)

        count, entry, files = patch_entry("0a", "词", len(old_codes), _json(old_entry), changed, fresh, BODY, boosts, read)
        want_entry, want_files = term_entry("0a", "词", new_codes, BODY, boosts) if new_codes else (None, {})
        assert count == len(new_codes)
        assert _json(entry) == _json(want_entry)
        assert set(files) <= set(want_files)
        on_disk = {**old_files, **files}
        assert {p: on_disk[p] for p in entry_blocks("0a", entry)} == want_files if entry is not None else files == {}
        crosses = (len(old_codes) > SMALL["TIER_MIN"]) != (len(new_codes) > SMALL["TIER_MIN"])
        if isinstance(old_entry, list) and isinstance(want_entry, list) and not crosses and not boosted:
            # the blocks before the first changed document's are neither read nor written
            home = max([k for k, f in enumerate(old_entry[1]) if f <= min(changed)] or [0])
            head = {shard_format.block_path(shard_format.block_name("0a", old_entry[0], k)) for k in range(home)}
            assert not head & (set(files) | set(read_paths))


def test_the_last_document_of_the_tiers_dropping_out_brings_in_the_next() -> None:
    """The document with the greatest key in the tiers falls below the first one outside them:
    the tiers must take that one in (the shortcut that keeps the tiers must not apply)."""
    with mock.patch.multiple(shard_format, **SMALL):
        # 20 documents, title (field 0) and body; tf falls with the ref, so ref 9 is the tenth
        docs = {ref: [code_base(ref, 0, 2) + 1, code_base(ref, BODY, 0) + max(1, 20 - ref)] for ref in range(20)}
        codes = _flat(docs)
        entry, files = term_entry("0a", "词", codes, BODY, BOOSTS)
        tiered = [sorted({c >> shard_format.REF_SHIFT for c in tier}) for tier in shard_format.tier_docs(codes, BOOSTS)]
        assert tiered[-1][-1] == 9 and sum(map(len, tiered)) == 10  # ref 9 is the last one in
        fresh = [code_base(9, BODY, 0) + 1]  # ref 9 keeps only a weak body posting
        new = {**docs, 9: fresh}
        count, patched, out = patch_entry("0a", "词", len(codes), _json(entry), [9], fresh, BODY, BOOSTS, files.get)
        want_entry, want_files = term_entry("0a", "词", _flat(new), BODY, BOOSTS)
        assert count == len(_flat(new)) and _json(patched) == _json(want_entry)
        assert {p: {**files, **out}[p] for p in entry_blocks("0a", patched)} == want_files
