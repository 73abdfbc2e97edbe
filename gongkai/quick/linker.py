"""Hard-link the previous `site/` into the new tree while the quick rebuild works."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from typing import Any

from ..output import SiteWriter
from .snapshot import Snapshot


class NotQuick(Exception):
    """This build needs the full pipeline (the reason is kept in the build's stats)."""


class Linker:
    """Hard-links every file of the previous `site/` into the new tree, in a forked process while
    this one works out what changed (or here, where there is no fork). Files made again replace
    their link afterwards (`SiteWriter.replace`). A file of `site/` that is not as the snapshot
    left it (size, mtime, inode) is not linked: `wait` returns these, and unless the build makes
    each of them again (`gongkai serve`'s preview writes the edited document's own pages) it is a
    full build."""

    def __init__(self, writer: SiteWriter, snap: Snapshot) -> None:
        self.args = (str(writer.out), str(writer.tmp), snap.manifest, snap.stats)
        self.pid = 0
        self.reader = -1
        self.done = False
        if hasattr(os, "fork") and "fork" in mp.get_all_start_methods():
            parent = os.getpid()
            reader, sender = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: link, report, exit; never return into the build
                code = 4
                try:
                    from ..pool import die_with_parent

                    os.close(reader)
                    die_with_parent(parent)
                    stale = _link_all(*self.args)
                    if stale is not None:
                        with os.fdopen(sender, "wb") as out:
                            out.write("\n".join(stale).encode("utf-8", "surrogateescape"))
                        code = 0
                    else:
                        code = 3
                finally:
                    os._exit(code)
            os.close(sender)
            self.pid, self.reader = pid, reader

    def wait(self) -> set[str]:
        """The files of `site/` that were not as the snapshot left them (not linked)."""
        if self.done:
            raise NotQuick("the linker was stopped")
        self.done = True
        if not self.pid:
            stale = _link_all(*self.args)
        else:
            with os.fdopen(self.reader, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self.pid, 0)
            ok = os.waitstatus_to_exitcode(status) == 0
            text = data.decode("utf-8", "surrogateescape")
            stale = [rel for rel in text.split("\n") if rel] if ok else None
        if stale is None:
            raise NotQuick("the previous site could not be linked")
        return set(stale)

    def cancel(self) -> None:
        if self.pid and not self.done:
            self.done = True
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            try:
                os.close(self.reader)
            except OSError:
                pass


def _link_all(base: str, target: str, manifest: dict[str, str], stats: dict[str, Any]) -> list[str] | None:
    """Link each untouched file; the touched ones (None: a file is gone or cannot be linked)."""
    made_dirs: set[str] = set()
    stale: list[str] = []
    join, link, lstat = os.path.join, os.link, os.lstat
    try:
        for rel in manifest:
            source = join(base, rel)
            st = lstat(source)
            if (st.st_size, st.st_mtime_ns, st.st_ino) != stats[rel]:
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
