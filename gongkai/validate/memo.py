"""Results of per-document rules kept between builds, so a rebuild re-runs them for changed files only.

A per-document rule reads one content file and nothing else: its entry (path, id, model, marks,
body — all made from the file's bytes) and, for exact positions, the bytes themselves. Its result
is stored under (rule, path) with the document's id and the SHA-256 of its bytes
(`Entry.source_hash`), and reused only when both are the same again. The privacy scan also
depends on the date (an ID number whose birth date lies in the future is not a finding yet), so
each result carries the range of days on which it holds (`privacy.DayWindow`).

The stored results live in the build cache (`rules.pickle`, whose fingerprint covers the code of
the rules, the models, the loader and the diagnostics: any change there means computing again).
Rules over the whole site (duplicates, cross-references, timeliness against `today`) are not
memoised; they run on every build.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from ..diagnostics import Diagnostic

#: (document id, sha256 of the file, first day, end day (exclusive), diagnostics)
Saved = tuple[str, str, date, date, tuple[Diagnostic, ...]]


class _Window(Protocol):
    first: date
    end: date


class RuleMemo:
    """The previous build's per-file rule results (`saved`) and this build's (`kept`)."""

    def __init__(self, saved: Any, today: date) -> None:
        self.today = today  # the build's day (`--today`): the windows are checked against it
        self.saved: dict[tuple[str, str], Saved] = saved if isinstance(saved, dict) else {}
        self.kept: dict[tuple[str, str], Saved] = {}
        self.reused = 0
        self.computed = 0

    def per_file(self, rule: str, entry: Any, compute: Callable[[], tuple[list[Diagnostic], _Window]]) -> list[Diagnostic]:
        """`compute()`'s diagnostics for `entry`, from the previous build when its file is unchanged."""
        slot = (rule, entry.path)
        if not entry.source_hash:  # not loaded from a file: nothing to key it by
            return compute()[0]
        hit = self.saved.get(slot)
        if hit is not None and hit[0] == entry.id and hit[1] == entry.source_hash and hit[2] <= self.today < hit[3]:
            self.kept[slot] = hit
            self.reused += 1
            return list(hit[4])
        diags, window = compute()
        self.kept[slot] = (entry.id, entry.source_hash, window.first, window.end, tuple(diags))
        self.computed += 1
        return diags

    @property
    def changed(self) -> bool:
        return bool(self.computed) or self.kept.keys() != self.saved.keys()


__all__ = ["RuleMemo"]
