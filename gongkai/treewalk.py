"""Listings of folder trees (every file's name, size and modification time), and digests of them.

A county build looks at every file of every township to see which township changed (56,000
files at 18 × 3,000); where `stat` is slow, that is a good part of a second. `Prefetch` makes
the digests in a forked process from the first moment of `gongkai build`, while the main
process imports the code it needs next, and hands them over when the build asks.

Standard library and the worker pool only, so that it can start before anything heavy is imported.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
from pathlib import Path

from .pool import Forked

__all__ = ["Prefetch", "listing_digest", "walk"]


def walk(folder: str, prefix: str = "") -> list[tuple[str, int, int]]:
    """(path relative to `folder`, size, mtime in ns) of every file under it, sorted by path; one
    `scandir` per folder and the stat it makes (symbolic links to folders are not followed)."""
    out: list[tuple[str, int, int]] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return out
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                out += walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                st = entry.stat()
                out.append((prefix + entry.name, st.st_size, st.st_mtime_ns))
        except OSError:
            continue
    return out


def listing_digest(folder: Path) -> str:
    """A hash of `walk(folder)`: changes when a file under it is added, removed, resized or touched."""
    return hashlib.sha256("".join(f"{rel}\0{size}\0{mtime}\n" for rel, size, mtime in walk(str(folder))).encode()).hexdigest()


class Prefetch:
    """`listing_digest` of every folder directly under `parent`, made by a forked child meanwhile.

    Without `os.fork` (Windows) nothing is started and `digests()` is empty: the caller makes
    each digest itself. A listing made early is as good as one made later: a file that changes
    after it was looked at changes the next build's listing.
    """

    def __init__(self, parent: Path) -> None:
        self.child: Forked | None = None
        if "fork" in mp.get_all_start_methods() and parent.is_dir():
            try:
                self.child = Forked(folder_digests, parent)
            except OSError:
                self.child = None

    def digests(self) -> dict[str, str]:
        """Folder name → digest (waits for the child); {} if nothing was started or the child failed."""
        child, self.child = self.child, None
        if child is None:
            return {}
        try:
            found = child.result()
        except (RuntimeError, OSError):
            return {}
        return found if isinstance(found, dict) else {}


def folder_digests(parent: Path) -> dict[str, str]:
    """`listing_digest` of every folder directly under `parent`, by name."""
    names = sorted(e.name for e in os.scandir(parent) if e.is_dir())
    return {name: listing_digest(parent / name) for name in names}
