"""Content-hash cache for incremental builds, kept outside `site/` and outside the content
repository (default: the user cache directory, see `cachedir.py`).

Three things are remembered between builds of one (content, output) pair:

- `load`: each content file's parse result, keyed by the SHA-256 of its bytes, so unchanged
  files are not decoded and YAML-composed again;
- `bodies`: each Markdown body's sanitised HTML and plain text, keyed by the body's hash;
- `outputs`: for every page and search file of the last build, a key hashing exactly what it
  was made from (the page's template context; the search records) and the file's digest and
  stat. A page whose key is unchanged is hard-linked from the previous `site/` instead of being
  rendered again.

Why this is safe: every entry is also keyed by a fingerprint of gongkai's code, the templates and
the versions of the libraries that shape the output, so any change there means full work; the
previous `site/` is only reused if its completion marker is the one this cache recorded and each
reused file still has the size, mtime and inode it had; and any unreadable or corrupt cache file
is treated as empty. Every file is sealed with this machine's key (`cachedir.seal`) and is only
unpickled once its MAC verifies, so a planted or foreign file runs no code: it is a miss. The
cache can be deleted at any time: the next build is a full build with
the same output.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from .cachedir import (
    KEY_FILE,
    content_cache_dir,
    file_sha256,
    machine_key,
    pickle_sealed,
    unseal,
    user_cache_base,
)
from .gcpause import gc_paused

CACHE_VERSION = 1
PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("Jinja2", "Markdown", "nh3", "PyYAML", "pydantic", "pydantic_core", "chinesecalendar", "MarkupSafe",
             "zxing-cpp")  # zxing-cpp: the QR codes of the print pages are made at render time

Stat = tuple[int, int, int]  # size, mtime_ns, inode
Output = tuple[str, str, Stat]  # key, sha256 of the bytes, stat of the file in site/


def default_root(content: Path, environ: Mapping[str, str], home: Path) -> Path | None:
    """`GONGKAI_CACHE_DIR`, else the user cache directory's folder for `content`; None if
    `GONGKAI_NO_CACHE` is set. For the CLI edge, which passes the result down."""
    if environ.get("GONGKAI_NO_CACHE"):
        return None
    env = environ.get("GONGKAI_CACHE_DIR")
    if env:
        return Path(env)
    return content_cache_dir(user_cache_base(environ, home), content)


#: Which sources each cached value depends on (relative to the package); everything else in the
#: cache (pages, search files) depends on the whole package and the templates.
SCOPES = {
    "load": ("loading/", "diagnostics.py", "cache.py"),
    "bodies": ("render/markup.py", "cache.py"),
    "rules": ("loading/", "diagnostics.py", "cache.py", "models/", "validate/", "rules/", "site.py"),
}


def fingerprint(template_dirs: Iterable[Path]) -> dict[str, str]:
    """Hashes of everything besides the content that decides the output bytes, per cache scope.

    `all` covers the whole package, the templates and the libraries; `load` and `bodies` only
    the modules they run, so editing a template or a view does not re-parse 10,000 files. The
    package is hashed once per process (the code that runs is the code that was imported, even
    if the files change meanwhile); templates are read per build, so they are hashed per build.
    """
    base = _package_digests()
    digests = {scope: hashlib.sha256(d.encode()) for scope, d in base.items()}
    for n, folder in enumerate(template_dirs):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digests["all"].update(f"templates{n}/{path.relative_to(folder).as_posix()}\0".encode() + _read(path))
    return {scope: d.hexdigest() for scope, d in digests.items()}


@lru_cache(maxsize=1)
def _package_digests() -> dict[str, str]:
    head = f"{CACHE_VERSION}\0{sys.version}\0"
    versions = dist_versions(LIBRARIES, sys.path)
    for name in LIBRARIES:
        head += f"{name}={versions.get(name, '?')}\0"
    digests = {scope: hashlib.sha256(head.encode()) for scope in ("all", *SCOPES)}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        chunk = rel.encode() + b"\0" + _read(path)
        digests["all"].update(chunk)
        for scope, prefixes in SCOPES.items():
            if rel.startswith(prefixes):
                digests[scope].update(chunk)
    return {scope: d.hexdigest() for scope, d in digests.items()}


def dist_versions(names: Iterable[str], path: Iterable[str]) -> dict[str, str]:
    """The installed version of each distribution in `names`, from the name of its `.dist-info`
    folder on `path` (the first that has one, as `importlib.metadata` searches): a directory
    listing per entry instead of importing and parsing each package's metadata. A distribution
    found no such way is asked of `importlib.metadata`; one not installed is left out."""
    wanted = {_normal(n): n for n in names}
    found: dict[str, str] = {}
    for entry in path:
        try:
            listing = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for folder in listing:
            if not folder.endswith(".dist-info"):
                continue
            dist, _, version = folder[: -len(".dist-info")].partition("-")
            name = wanted.get(_normal(dist))
            if name is not None and version and name not in found:
                found[name] = version
    missing = [n for n in wanted.values() if n not in found]
    if missing:
        from importlib import metadata

        for name in missing:
            try:
                found[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                pass
    return found


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return uuid.uuid4().bytes  # unreadable: never matches, so never reused


def output_stats(output: Path, files: Iterable[str]) -> dict[str, Stat]:
    """(size, mtime_ns, inode) of each of `files` under `output` that exists (string paths: a
    `Path` per file costs more than the system call)."""
    base, join, lstat = str(output), os.path.join, os.lstat
    out: dict[str, Stat] = {}
    for rel in files:
        try:
            st = lstat(join(base, rel))
        except OSError:
            continue
        out[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return out


class BuildCache:
    """The cache of one (content, output) pair. With `root=None` every lookup misses.

    `key`: the machine key that seals every file (default: `root/machine.key`, created 0600);
    without a key there is no cache.
    """

    def __init__(self, root: Path | None, content: Path, output: Path, fingerprints: dict[str, str],
                 key: bytes | None = None):
        self.fps = fingerprints
        self.fp = fingerprints["all"]
        self.dir: Path | None = None
        self.key: bytes | None = None
        if root is not None:
            self.key = key if key is not None else machine_key(root / KEY_FILE)
        if root is not None and self.key is not None:
            pair = f"{content.resolve()}\0{output.resolve()}".encode()
            self.dir = root / hashlib.sha256(pair).hexdigest()[:16]
        self.stats = {"loaded": 0, "parsed": 0, "bodies_cached": 0, "bodies_converted": 0, "reused": 0, "rendered": 0}
        self._previous: dict[tuple[Path, str], dict[str, Output]] = {}
        # `quick.snapshot.outputs_after_quick`, set by the build (the cache does not know the
        # quick rebuild): the outputs as a quick rebuild left them, or None
        self.after_quick: Callable[[BuildCache, str], dict[str, Output] | None] | None = None

    @property
    def enabled(self) -> bool:
        return self.dir is not None

    def read(self, name: str) -> Any:
        """The payload stored under `name`, or None if missing, stale or unreadable.

        `scope.part` names one part of a value kept in several files; it has the scope's fingerprint.
        """
        if self.dir is None or self.key is None:
            return None
        try:
            with open(self.dir / f"{name}.pickle", "rb") as f:
                body = unseal(self.key, name, f.read())
            if body is None:  # planted, foreign or torn: never unpickled
                return None
            with gc_paused():  # many new objects, none cyclic (see gcpause.py)
                version, fp, payload = pickle.loads(body)
        except Exception:  # noqa: BLE001 - a corrupt cache is an empty cache, whatever broke
            return None
        return payload if version == CACHE_VERSION and fp == self.fps.get(name.partition(".")[0], self.fp) else None

    def write(self, name: str, payload: Any) -> None:
        """Store atomically; a cache that cannot be written only costs the next build time."""
        if self.dir is None or self.key is None:
            return
        tmp = None
        try:
            if not self.dir.is_dir():
                self.dir.mkdir(parents=True, exist_ok=True)
                _prune(self.dir.parent, keep=self.dir)
            tmp = self.dir / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
            with gc_paused(), open(tmp, "wb") as f:
                pickle_sealed(f, self.key, name, (CACHE_VERSION, self.fps.get(name.partition(".")[0], self.fp), payload))
            os.replace(tmp, self.dir / f"{name}.pickle")
        except Exception:  # noqa: BLE001
            if tmp is not None:
                try:
                    tmp.unlink()
                except OSError:
                    pass

    def forget(self, name: str) -> None:
        if self.dir is not None:
            try:
                (self.dir / f"{name}.pickle").unlink()
            except OSError:
                pass

    # -- outputs of the previous build ------------------------------------------------------

    def previous_outputs(self, output: Path, marker: str) -> dict[str, Output]:
        """Reusable files of the last build: only if `site/` is still that build, file by file
        only if untouched since (same size, mtime and inode). Read once per build: the render
        pool and the open data (main process) both ask, and `site/` does not change meanwhile."""
        if (output, marker) not in self._previous:
            self._previous[(output, marker)] = self._previous_outputs(output, marker)
        return self._previous[(output, marker)]

    def _previous_outputs(self, output: Path, marker: str) -> dict[str, Output]:
        saved = self.read("outputs")
        current = file_sha256(output / marker)
        if saved and saved[0] == current:
            entries = saved[1]
        else:  # a quick rebuild came after the full build that wrote `outputs`
            entries = self.after_quick(self, current) if self.after_quick is not None else None
            if entries is None:
                return {}
        now = output_stats(output, entries)  # as `save_outputs` took them
        return {rel: entry for rel, entry in entries.items() if now.get(rel) == entry[2]}

    def save_outputs(self, output: Path, marker: str, keyed: dict[str, tuple[str, str]],
                     stats: dict[str, Stat] | None = None) -> None:
        """Remember key, digest and stat of each keyed file of the build just committed
        (`stats`: the files' stats, if the caller has them already)."""
        marker_digest = file_sha256(output / marker)
        if marker_digest is None:
            self.forget("outputs")
            return
        if stats is None:
            stats = output_stats(output, keyed)
        entries: dict[str, Output] = {}
        for rel, (key, digest) in keyed.items():
            st = stats.get(rel)
            if st is not None:
                entries[rel] = (key, digest, st)
        self.write("outputs", (marker_digest, entries))


KEEP_PAIRS = 8


def _prune(root: Path, keep: Path) -> None:
    """Drop the caches of the least recently built (content, output) pairs beyond `KEEP_PAIRS`.

    Only our own 16-hex-digit folders are touched; other files in the folder (such as the QR
    cache file of older versions) are left alone.
    """
    import shutil

    try:
        pairs = [p for p in root.iterdir() if p.is_dir() and len(p.name) == 16 and p != keep and all(c in "0123456789abcdef" for c in p.name)]
        pairs.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in pairs[KEEP_PAIRS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def key_of(fp: str, *parts: Any) -> str | None:
    """A key for output made from `parts`, or None if they cannot be serialised (never cached).

    Pickle records the full state of plain data, dataclasses and pydantic models, so equal keys
    mean equal inputs. The pickler runs without its memo ("fast" mode): an object referenced
    twice is written twice, so the bytes depend on the values only, not on which equal values
    happen to be one shared object in this process. (A set's order can still vary between
    processes; that only costs a miss.)
    """
    buffer = io.BytesIO()
    try:
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.fast = True  # no memo: identity-independent bytes (contexts hold no cycles)
        pickler.dump(parts)
    except Exception:  # noqa: BLE001 - includes RecursionError from a cycle
        return None
    return hashlib.blake2b(buffer.getbuffer(), digest_size=20, key=fp[:64].encode()).hexdigest()


__all__ = ["BuildCache", "default_root", "fingerprint", "key_of", "output_stats"]
