"""Hard-link the previous `site/` into the new tree while the quick rebuild works."""

from __future__ import annotations

import multiprocessing as mp
import os
from typing import Any

from ..output import SiteWriter
from ..pool import Forked


class NotQuick(Exception):
    """This build needs the full pipeline (the reason is kept in the build's stats)."""


class Linker:
    """Hard-links every file of the previous `site/` into the new tree, in a forked process while
    this one works out what changed (or here, where there is no fork). Files made again replace
    their link afterwards (`SiteWriter.replace`). A file of `site/` that is not as the snapshot
    left it (size, mtime, inode) is not linked: `wait` returns these, and unless the build makes
    each of them again (`gongkai serve`'s preview writes the edited document's own pages) it is a
    full build."""

    def __init__(self, writer: SiteWriter, stats: dict[str, tuple[int, int, int]]) -> None:
        """`stats`: every file of the previous `site/` with the size, mtime and inode it was left
        with (the snapshot's, or the stamp's, which the last build wrote from the same)."""
        self.stats = stats
        self.args = (str(writer.out), str(writer.tmp), stats)
        self.child: Forked | None = Forked(_link_all, *self.args) if "fork" in mp.get_all_start_methods() else None
        self.done = False

    def wait(self) -> set[str]:
        """The files of `site/` that were not as the snapshot left them (not linked)."""
        if self.done:
            raise NotQuick("the linker was stopped")
        self.done = True
        if self.child is None:
            stale = _link_all(*self.args)
        else:
            try:
                stale = self.child.result()
            except RuntimeError:
                stale = None
        if stale is None:
            raise NotQuick("the previous site could not be linked")
        return set(stale)

    def cancel(self) -> None:
        if self.child is not None and not self.done:
            self.done = True
            self.child.cancel()


def _link_all(base: str, target: str, stats: dict[str, Any]) -> list[str] | None:
    """Link each untouched file; the touched ones (None: a file is gone or cannot be linked)."""
    made_dirs: set[str] = set()
    stale: list[str] = []
    join, link, lstat = os.path.join, os.link, os.lstat
    try:
        for rel, known in stats.items():
            source = join(base, rel)
            st = lstat(source)
            if (st.st_size, st.st_mtime_ns, st.st_ino) != known:
                stale.append(rel)
                continue
            folder = rel.rpartition("/")[0]
            if folder not in made_dirs:
                os.makedirs(join(target, folder), exist_ok=True)
                made_dirs.add(folder)
            link(source, join(target, rel))
    except (OSError, KeyError):
        return None
    return stale


__all__ = ["Linker", "NotQuick"]
