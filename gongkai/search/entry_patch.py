"""Patch one long posting list after some documents changed, reading only the blocks they are in.

A long list (``shard_format.term_entry``) is a row of blocks whose ends depend on their own
documents (``block_end``) and an optional set of impact tiers. When documents change, the
blocks from the one holding the first changed document are decoded, the changes applied and the
postings cut again, one old block at a time, until a new cut falls on an old block's end after
the last change: from there on the list is what it was, file for file. The tiers are the
documents where the term weighs most; they are worked out from the old tiers and the changed
documents, and when a changed document falls out of them (so that the next one in from the
rest of the list is needed) the patch gives up.

``patch_entry`` returns what ``term_entry`` over the whole new list would (the entry, and the
files of the blocks and tiers it made again, a subset of ``term_entry``'s files), or None when
the whole list must be decoded and cut afresh: an inline list, a list that becomes inline or
gains or loses its tiers, a tier that needs the rest of the list. The property tests compare it
with ``term_entry`` of the whole list.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import shard_format as sf

__all__ = ["patch_entry"]

Read = Callable[[str], bytes | None]


def patch_entry(
    shard: str, entry: Any, count: int, changes: Mapping[int, Sequence[int]], body: int,
    boosts: Sequence[float], read: Read,
) -> tuple[int, Any, dict[str, bytes]] | None:
    """``(posting count, entry, files)`` of a long list whose documents in ``changes`` now have
    the postings given (ascending codes; empty: no longer any), from its old ``entry`` and
    ``count`` and its block files (``read``); None: build the list afresh."""
    if isinstance(entry, str) or not changes:
        return None
    digest, firsts = entry[0], list(entry[1])
    tiers_old = sf.entry_tiers(entry)
    refs = sorted(changes)
    k = max(0, bisect_right(firsts, refs[0]) - 1)
    start = k
    merged: list[int] = []
    pending = 0  # index into refs of the first change not applied yet
    pos = 0  # start of the block being cut, in merged
    new_blocks: list[list[int]] = []
    removed: dict[int, list[int]] = {}  # old postings of each changed document (tiers, counts)
    while True:
        data = read(sf.block_path(sf.block_name(shard, digest, firsts[k])))
        try:
            merged += sf.block_codes(data, body, firsts[k])
        except (KeyError, ValueError, IndexError, UnicodeDecodeError):
            return None
        k += 1
        bound = firsts[k] if k < len(firsts) else None
        while pending < len(refs) and (bound is None or refs[pending] < bound):
            ref = refs[pending]
            low, high = ref << sf.REF_SHIFT, (ref + 1) << sf.REF_SHIFT
            i = bisect_left(merged, low, pos)
            j = bisect_left(merged, high, i)
            removed[ref] = merged[i:j]
            merged[i:j] = changes[ref]
            pending += 1
        complete = bound is None
        while pos < len(merged):
            end = sf.block_end(merged, pos, complete)
            if end is None:
                break
            new_blocks.append(merged[pos:end])
            pos = end
        following = (new_blocks[-1][-1] >> sf.REF_SHIFT) + 1 if new_blocks else firsts[start]
        if complete or (pending == len(refs) and pos == len(merged) and following == bound):
            break  # resynchronised with the old cuts (or at the end of the list)
    added = sum(len(changes[r]) for r in refs)
    count_new = count - sum(len(v) for v in removed.values()) + added
    if count_new <= sf.INLINE_POSTINGS or (count_new > sf.TIER_MIN and bool(boosts)) != (tiers_old > 0):
        return None
    files: dict[str, bytes] = {}
    new_firsts = firsts[:start]
    first = firsts[start]  # the blocks before are as they were, so this one starts where it did
    for codes in new_blocks:
        files.update(sf.block_file(shard, digest, codes, body, first))
        new_firsts.append(first)
        first = (codes[-1] >> sf.REF_SHIFT) + 1
    new_firsts += firsts[k:]
    if tiers_old == 0:
        return count_new, [digest, new_firsts], files
    docs = int(entry[3]) - sum(1 for v in removed.values() if v) + sum(1 for r in refs if changes[r])
    tiers = _patch_tiers(shard, digest, tiers_old, int(entry[3]), removed, changes, body, boosts, read)
    if tiers is None:
        return None
    files.update(sf.tier_files(shard, digest, tiers, body))
    return count_new, [digest, new_firsts, len(tiers), docs], files


def _patch_tiers(
    shard: str, digest: str, count: int, docs: int, removed: Mapping[int, Sequence[int]],
    changes: Mapping[int, Sequence[int]], body: int, boosts: Sequence[float], read: Read,
) -> list[list[int]] | None:
    """The new tiers (``shard_format.tier_docs`` of the new list) from the old ``count`` tiers of a
    list of ``docs`` documents; None when they need documents outside the old tiers."""
    units = sf.impact_units(tuple(boosts))
    postings: dict[int, list[int]] = {}
    for t in range(count):
        try:
            codes = sf.block_codes(read(sf.block_path(sf.block_name(shard, digest, f"t{t}"))), body)
        except (KeyError, ValueError, IndexError, UnicodeDecodeError):
            return None
        for code in codes:
            postings.setdefault(code >> sf.REF_SHIFT, []).append(code)
    wanted = sum(sf.TIER_DOCS)
    everything = docs <= wanted  # the old tiers held every document of the list
    if everything != (len(postings) == docs):
        return None  # not the tiers of this list
    worst = max((sf.impact_key(units, codes) for codes in postings.values()), default=-1)
    for ref in changes:
        if ref in postings and list(postings[ref]) != list(removed.get(ref, ())):
            return None  # the tiers disagree with the blocks
        postings.pop(ref, None)
        if changes[ref]:
            postings[ref] = list(changes[ref])
    keys = heapq.nsmallest(wanted, (sf.impact_key(units, codes) for codes in postings.values()))
    if not everything and (len(keys) < wanted or keys[-1] > worst):
        return None  # a document from outside the old tiers would come in
    tiers: list[list[int]] = []
    start = 0
    for size in sf.TIER_DOCS:
        group = sorted(key & sf.KEY_REF_MASK for key in keys[start : start + size])
        if not group:
            break
        tiers.append([code for ref in group for code in postings[ref]])
        start += size
    return tiers
