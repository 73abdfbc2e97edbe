"""Listings of folder trees (every file's name, size and modification time), and digests of them.

A county build looks at every file of every township to see which township changed (56,000
files at 18 × 3,000); where `stat` is slow, that is a good part of a second. `Prefetch` makes
the digests in a forked process from the first moment of `gongkai build`, while the main
process imports the code it needs next, and hands them over when the build asks.

Standard library only, so that it can start before anything heavy is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

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
        self.pid = 0
        self.fd = -1
        if not hasattr(os, "fork") or not parent.is_dir():
            return
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: list, write the digests, and leave without running the parent's exit code
            status = 1
            try:
                os.close(read_end)
                names = sorted(e.name for e in os.scandir(parent) if e.is_dir())
                data = json.dumps({name: listing_digest(parent / name) for name in names}).encode()
                with os.fdopen(write_end, "wb") as f:
                    f.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.pid, self.fd = pid, read_end

    def digests(self) -> dict[str, str]:
        """Folder name → digest (waits for the child); {} if nothing was started or the child failed."""
        if self.fd < 0:
            return {}
        fd, self.fd = self.fd, -1
        try:
            with os.fdopen(fd, "rb") as f:
                data = f.read()
            _, status = os.waitpid(self.pid, 0)
        except OSError:
            return {}
        if status != 0:
            return {}
        try:
            found = json.loads(data)
        except ValueError:
            return {}
        return found if isinstance(found, dict) else {}
