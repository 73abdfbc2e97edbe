"""Write stage: the one place that touches the output folder, atomically.

A build renders into a sibling temp folder (`.site.tmp-*`), writes a completion marker last,
then swaps it with `site/` in one step: on Linux with `renameat2(RENAME_EXCHANGE)`, so `site/`
is at every instant either the old complete site or the new complete site; elsewhere with two
renames and a recovery step at the start of the next build. A failed build deletes its temp
folder and leaves `site/` exactly as it was. Builds into the same folder take turns (a lock
file next to it), so one build's clean-up never deletes another build's temp folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Self

from .capabilities import Capabilities

MARKER = ".gongkai-build.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


@functools.lru_cache(maxsize=1)
def _libc():  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ≥ 3.15, glibc ≥ 2.28). False if unsupported.

    Any other failure (a path vanished, permissions) raises: falling back to two renames then
    would move `site/` aside and fail to put anything in its place.
    """
    libc = _libc()
    fn = getattr(libc, "renameat2", None) if libc is not None else None
    if fn is None:
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def _syncfs(path: Path) -> bool:
    """Flush the whole file system holding `path` in one call (Linux). False if unavailable."""
    libc = _libc()
    fn = getattr(libc, "syncfs", None) if libc is not None else None
    if fn is None:
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        return fn(fd) == 0
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # Windows: directories cannot be opened
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _lock(out: Path, allowed: bool = True) -> tuple[int | None, bool]:
    """Wait for, then hold, the lock of this output folder; returns (fd, locked).

    A POSIX record lock (fcntl) or, on Windows, a byte-range lock (msvcrt): released when the
    process dies (a killed build never blocks the next one) and not inherited by forked render
    workers. Without either, or on file systems without locks, the build carries on unlocked.
    """
    if not allowed:
        return None, False
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    try:
        import msvcrt
    except ImportError:
        msvcrt = None  # type: ignore[assignment]
    if fcntl is None and msvcrt is None:
        return None, False
    fd = os.open(out.parent / f".{out.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.lockf(fd, fcntl.LOCK_EX)
        else:
            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[union-attr]
                    break
                except OSError:  # LK_LOCK gives up after 10 s: keep waiting, like lockf
                    continue
    except OSError:  # file systems without locks (some network mounts): carry on unlocked
        return fd, False
    return fd, True


TRASH_GRACE_S = 600  # a trash folder older than this lost its `rm` (killed): `recover` deletes it


def discard(tree: Path, out: Path) -> None:
    """Delete a swapped-out site without waiting for it.

    Deleting 17,000 files takes a second; nobody needs to wait for it. The tree is renamed to
    `.site.trash-*` (one step; it is no longer anyone's temp folder) and `rm -rf` deletes it in
    its own session, on another core. Where that is not possible, it is deleted here.
    """
    trash = out.parent / f".{out.name}.trash-{uuid.uuid4().hex[:12]}"
    try:
        tree.rename(trash)
    except OSError:
        shutil.rmtree(tree, ignore_errors=True)
        return
    rm = shutil.which("rm") if sys.platform != "win32" else None
    if rm is not None:
        try:
            subprocess.Popen([rm, "-rf", "--", str(trash)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
            return
        except OSError:
            pass
    shutil.rmtree(trash, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo a swap interrupted between its two renames (non-Linux fallback) and drop temp dirs."""
    parent = out.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out.name}.old-*"))
    if not out.exists() and olds:
        olds[-1].rename(out)
        olds = olds[:-1]
    for stale in [*olds, *parent.glob(f".{out.name}.tmp-*"), *_abandoned(parent, out)]:
        shutil.rmtree(stale, ignore_errors=True)


def unfinished(out: Path) -> bool:
    """Whether a swap or a build of `out` is under way or was cut off (what `recover` cleans up)."""
    prefixes = (f".{out.name}.old-", f".{out.name}.tmp-")
    try:
        return any(name.startswith(prefixes) for name in os.listdir(out.parent))
    except OSError:
        return True


def _abandoned(parent: Path, out: Path) -> list[Path]:
    """Trash folders whose `rm` must have died (see `discard`)."""
    found = []
    for trash in parent.glob(f".{out.name}.trash-*"):
        try:
            if time.time() - trash.lstat().st_ctime > TRASH_GRACE_S:  # ctime: set by the rename
                found.append(trash)
        except OSError:
            pass
    return found


class SiteWriter:
    """Collects the new site in a temp folder; `commit()` swaps it into place."""

    def __init__(self, out: Path, capabilities: Capabilities | None = None, *, fsync: bool = True):
        self.out = out
        self.fsync = fsync  # False: nothing is flushed to disk (a preview thrown away on exit)
        self.caps = capabilities or Capabilities.detect()
        #: the fallbacks this writer took (`capabilities.NOTES`), for the build summary
        self.fallbacks: set[str] = set()
        out.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fd, locked = _lock(out, self.caps.locks)
        if not locked:
            self.fallbacks.add("locks")
        try:
            recover(out)
            self.tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:12]}"
            self.tmp.mkdir()
        except BaseException:
            self._unlock()
            raise
        self.files: dict[str, str] = {}  # relative path -> sha256
        self._dirs: set[Path] = set()
        self.committed = False

    def path_for(self, rel: str) -> Path:
        target = self.tmp / rel
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        return target

    def write(self, rel: str, data: bytes) -> None:
        self.path_for(rel).write_bytes(data)
        self.files[rel] = hashlib.sha256(data).hexdigest()

    def replace(self, rel: str, data: bytes) -> None:
        """Write `rel` as a new file even if a hard link to another tree's file is there now."""
        target = self.path_for(rel)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.new")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        self.files[rel] = hashlib.sha256(data).hexdigest()

    def record(self, rel: str, digest: str) -> None:
        """Register a file written into `self.tmp` by another process."""
        self.files[rel] = digest

    def copy(self, rel: str, source: Path) -> None:
        target = self.path_for(rel)
        shutil.copyfile(source, target)
        self.files[rel] = hashlib.sha256(target.read_bytes()).hexdigest()

    def link_or_copy(self, rel: str, source: Path, digest: str) -> None:
        """Reuse an unchanged file from the previous build (hard link when possible)."""
        target = self.path_for(rel)
        if self.caps.hardlinks and "hardlinks" not in self.fallbacks:
            try:
                os.link(source, target)
                self.files[rel] = digest
                return
            except OSError:
                self.fallbacks.add("hardlinks")
        else:
            self.fallbacks.add("hardlinks")
        shutil.copyfile(source, target)
        self.files[rel] = digest

    def manifest(self) -> dict[str, str]:
        return dict(sorted(self.files.items()))

    def commit(self) -> None:
        """Write the completion marker last, then swap the new tree into place."""
        manifest = self.manifest()
        digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
        marker = {"files": len(manifest), "manifest_sha256": digest, "generator": "gongkai"}
        (self.tmp / MARKER).write_text(json.dumps(marker, sort_keys=True, indent=1) + "\n", encoding="utf-8")
        self._fsync_tree()
        if self.out.exists():
            if self.caps.exchange and _exchange(self.tmp, self.out):
                discard(self.tmp, self.out)  # tmp now holds the old site
            else:
                self.fallbacks.add("exchange")
                old = self.out.parent / f".{self.out.name}.old-{uuid.uuid4().hex[:12]}"
                self.out.rename(old)
                self.tmp.rename(self.out)
                shutil.rmtree(old, ignore_errors=True)
        else:
            self.tmp.rename(self.out)
        if self.fsync:
            _fsync_dir(self.out.parent)  # make the swap itself durable
        self.committed = True
        self._unlock()

    def _fsync_tree(self) -> None:
        """Make the new tree durable before it becomes visible (a power cut must not half-publish).

        File contents first (one syncfs on Linux, else every file), then the directories.
        """
        if not self.fsync:
            return
        try:
            flushed = _syncfs(self.tmp)
        except OSError:
            flushed = False
        if not flushed:
            for dirpath, _dirs, names in os.walk(self.tmp):
                for name in names:
                    try:
                        fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
                    except OSError:
                        continue
                    try:
                        os.fsync(fd)
                    except OSError:
                        pass
                    finally:
                        os.close(fd)
                _fsync_dir(Path(dirpath))

    def abort(self) -> None:
        if self.tmp.exists():
            discard(self.tmp, self.out)
        self._unlock()

    def _unlock(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:  # closing releases fcntl and msvcrt locks alike
            os.close(fd)  # closing releases the lock

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        if not self.committed:
            self.abort()


def read_manifest(out: Path) -> dict[str, str] | None:
    """The manifest of the last complete build in `out`, or None if incomplete/unknown."""
    marker = out / MARKER
    if not marker.is_file():
        return None
    try:
        return json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
