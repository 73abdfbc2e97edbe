"""Where the build cache lives, and the per-machine key that authenticates what it holds.

The cache holds pickles and compiled templates, both of which run code when loaded. So nothing
is loaded from it unless it carries an HMAC-SHA256 made with this machine's key (a file created
with mode 0600 in the user cache directory, never inside a content repository): a file planted
by a pull request, or copied from another machine, does not verify and is a cache miss.

By default the cache is in the user cache directory (`$XDG_CACHE_HOME` or `~/.cache`, on Windows
`%LOCALAPPDATA%`), under `gongkai/<hash of the resolved content path>`; the CLI chooses it and
passes it down. A cache folder that git tracks is not used at all (`tracked_by_git`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import stat as stat_mod
import subprocess
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .gcpause import gc_paused

MAGIC = b"GKMAC1\n"
MAC_SIZE = 32
KEY_FILE = "machine.key"


def user_cache_base(environ: Mapping[str, str], home: Path) -> Path:
    """`<user cache dir>/gongkai`: `%LOCALAPPDATA%` on Windows, else `$XDG_CACHE_HOME` or `~/.cache`."""
    if os.name == "nt" and environ.get("LOCALAPPDATA"):
        return Path(environ["LOCALAPPDATA"]) / "gongkai"
    xdg = environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "gongkai"
    return home / ".cache" / "gongkai"


def content_cache_dir(base: Path, content: Path) -> Path:
    """The cache folder of one content folder: keyed by its resolved path."""
    return base / hashlib.sha256(str(content.resolve()).encode()).hexdigest()[:16]


def machine_key(path: Path) -> bytes | None:
    """The key in `path`, created (random, mode 0600) if missing; None if it cannot be had, which
    disables the cache rather than trusting anything."""
    for _ in range(2):
        try:
            with open(path, "rb") as f:
                key = f.read()
            if len(key) >= 32:
                return key
            return None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue  # another build created it meanwhile: read that one
        except OSError:
            return None
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
    return None


def seal(key: bytes, name: str, body: bytes) -> bytes:
    """`body` with its MAC (bound to `name`, so one file cannot stand in for another)."""
    return MAGIC + _mac(key, name, body) + body


class _Through:
    """The file `pickle` writes to: each frame goes on to `f` and into the MAC."""

    def __init__(self, f: Any, mac: Any) -> None:
        self.f, self.mac = f, mac

    def write(self, data: Any) -> int:
        self.mac.update(data)
        return self.f.write(data)  # type: ignore[no-any-return]


def pickle_sealed(f: Any, key: bytes, name: str, value: Any) -> None:
    """Pickle `value` into the new binary file `f` as `seal(key, name, pickle.dumps(value))`
    would read, streamed: the pickle is never held in memory whole (at 50,000 documents the
    site's snapshot is over 100 MB, and a copy of it was the build's peak memory)."""
    f.write(MAGIC + bytes(MAC_SIZE))
    mac = hmac.new(key, name.encode() + b"\0", hashlib.sha256)
    pickle.Pickler(_Through(f, mac), protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    f.seek(len(MAGIC))
    f.write(mac.digest())


def unseal(key: bytes, name: str, data: bytes) -> bytes | None:
    """The body of a sealed `data`, or None if it is not sealed with `key` under `name`."""
    head = len(MAGIC) + MAC_SIZE
    if len(data) < head or not data.startswith(MAGIC):
        return None
    body = data[head:]
    if not hmac.compare_digest(data[len(MAGIC) : head], _mac(key, name, body)):
        return None
    return body


def dump_sealed(path: Path, key: bytes | None, value: Any) -> None:
    """Pickle `value` into `path`, sealed with `key` under the file's name (atomic: temp + rename).
    No key: nothing is written (an unsealed pickle would be loaded unverified)."""
    if key is None:
        return
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with gc_paused(), open(tmp, "wb") as f:  # a large state: the collector would rescan the heap for nothing
        pickle_sealed(f, key, path.name, value)
    os.replace(tmp, path)


def load_sealed(path: Path, key: bytes | None) -> Any | None:
    """The value `dump_sealed` wrote to `path`, or None: missing, unreadable, no key, or not
    sealed with `key` (a planted or foreign file is never unpickled)."""
    if key is None:
        return None
    try:
        body = unseal(key, path.name, path.read_bytes())
        if body is None:
            return None
        with gc_paused():  # tens of thousands of new objects, none cyclic (see gcpause.py)
            return pickle.loads(body)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError, ImportError, IndexError):
        return None


def _mac(key: bytes, name: str, body: bytes) -> bytes:
    mac = hmac.new(key, name.encode() + b"\0", hashlib.sha256)
    mac.update(body)
    return mac.digest()


def tracked_by_git(folder: Path) -> bool:
    """True if git tracks any file in `folder` (a cache committed to a repository, or planted by
    a pull request). No git, or not a repository: False."""
    if not folder.is_dir():
        return False
    try:
        done = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=folder, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and bool(done.stdout.strip(b"\0"))


#: Git's racy rule (load cache, stamp): a file whose mtime or ctime is not this much older than
#: the clock taken before it was looked at may change again within the same timestamp.
RACY_MARGIN_NS = 2_000_000_000


def file_clock(folder: Path | None) -> int:
    """The file system's current time (ns) where the cache lives, from a file written there (in
    `folder`, or its parent before the first build); -1 if unknown (nothing is trusted)."""
    if folder is None:
        return -1
    probe = folder / f".clock.{uuid.uuid4().hex[:8]}"
    try:
        if not folder.is_dir():  # the first build: creating `folder` is the cache's job (it prunes)
            probe = folder.parent / probe.name
            folder.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"clock")
            return os.fstat(fd).st_mtime_ns
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError:
        return -1


def stat_of(name: str) -> tuple[int, int, int, int] | None:
    """lstat of a regular file as the racy rule compares it (size, mtime_ns, inode, ctime_ns);
    None for a symlink, a special file or an error (the plain loader reads those and reports them)."""
    try:
        st = os.lstat(name)
    except OSError:
        return None
    if not stat_mod.S_ISREG(st.st_mode):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def file_sha256(path: str | Path) -> str | None:
    """The SHA-256 of a file's bytes; None if it cannot be read."""
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None
