"""Which file-system events matter, and when a burst of them is over.

Both pieces are pure (no threads, no clock of their own) so they can be table-tested: the
watcher feeds raw watchdog events into `classify`, and the rebuild loop asks a `Coalescer`
how long to wait before a burst of saves (an editor's temp-file-and-rename, a `git checkout`)
is over and one rebuild covers all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from ..loading import is_junk

# watchdog ≥ 5 also reports opens and read-only closes on Linux: they change nothing.
IGNORED_EVENTS = frozenset({"opened", "closed_no_write"})


@dataclass(frozen=True)
class Roots:
    """The folders being watched, by what a change in them means."""

    content: PurePath
    templates: PurePath | None = None

    def kind_of(self, path: PurePath) -> tuple[str, PurePath] | None:
        for kind, root in (("content", self.content), ("templates", self.templates)):
            if root is None:
                continue
            try:
                return kind, path.relative_to(root)
            except ValueError:
                continue
        return None


@dataclass(frozen=True)
class Change:
    kind: str  # "content" | "templates"
    path: str  # the relevant path (destination of a move when that one is relevant)


def relevant(path: str, roots: Roots) -> Change | None:
    """A path under a watched root whose every component is not editor junk."""
    if not path:
        return None
    found = roots.kind_of(PurePath(path))
    if found is None:
        return None
    kind, rel = found
    if any(is_junk(part) for part in rel.parts):
        return None
    return Change(kind, PurePath(path).as_posix())


def classify(event_type: str, src: str, dest: str | None, is_directory: bool, roots: Roots) -> list[Change]:
    """The changes one watchdog event stands for ([] = ignore it).

    A move counts for both ends: an editor saving `a.md` writes `.a.md.swp` or `a.md~` and
    renames it over `a.md` (only the destination is relevant); deleting by moving to a trash
    folder outside the root makes only the source relevant.
    """
    if event_type in IGNORED_EVENTS:
        return []
    if is_directory and event_type in ("modified", "closed"):
        return []  # a folder's mtime changes whenever a file in it does: already reported
    out = []
    for path in (src, dest if event_type == "moved" else None):
        change = relevant(path or "", roots)
        if change is not None and change not in out:
            out.append(change)
    return out


@dataclass
class Coalescer:
    """Collects changes; a burst is over after `quiet` seconds without a new change.

    `max_wait` bounds the wait when changes never stop (a long copy), so the preview still
    catches up every `max_wait` seconds.
    """

    quiet: float = 0.15
    max_wait: float = 1.0
    pending: dict[str, Change] = field(default_factory=dict)
    first: float | None = None
    last: float | None = None

    def add(self, changes: list[Change], now: float) -> None:
        if not changes:
            return
        for change in changes:
            self.pending[change.path] = change
        if self.first is None:
            self.first = now
        self.last = now

    def delay(self, now: float) -> float | None:
        """Seconds to wait before rebuilding; None = nothing pending; ≤ 0 = rebuild now."""
        if self.first is None or self.last is None:
            return None
        return min(self.last + self.quiet, self.first + self.max_wait) - now

    def take(self) -> list[Change]:
        out = sorted(self.pending.values(), key=lambda c: c.path)
        self.pending.clear()
        self.first = self.last = None
        return out
