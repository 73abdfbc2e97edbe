"""The load stage with the per-file cache (`loading.cached.load_content`): unchanged files are neither
parsed nor, in the usual case, even read again.

For each content file the cache keeps its stat (size, mtime_ns, inode, ctime_ns), when the entry
was written, the key of its bytes (SHA-256 of the path, the loader's arguments and the bytes) and
its parse result, in `SHARDS` files by path so that one edit rewrites one of them. A file is:

- **not read** when its stat equals the cached one and the entry is not "racy" (git's rule): the
  file's mtime and ctime are both older than the time the entry was written, by more than
  `RACY_MARGIN_NS`. Any change to a file sets its ctime to the current time (no tool can set it
  back; replacing the file gives another inode or ctime), so a file changed after its entry was
  written has another stat — unless it changed within the same clock tick as the read that made
  the entry, which is exactly what the rule excludes. The margin covers file systems with coarse
  timestamps (FAT: 2 s). The entry's time is the mtime of a file written where the cache lives
  just before the files are looked at: the file system's clock, not Python's. (As for git, this
  assumes the cache and the content share a clock: true on one machine, and for the default
  cache folder beside `content/`.)
- otherwise read and hashed: the same key means the cached parse result, a new key a parse (by
  forked workers when many files changed).

Parse results keep their marks (line and column of every value) as bytes, decoded only if a
diagnostic needs them (`Marks.from_bytes`): decoding the marks of 10,000 files took longer than
everything else the cache holds.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cachedir import RACY_MARGIN_NS, file_clock, stat_of
from ..contentfiles import content_files, display_path
from ..gcpause import gc_paused
from .source import (
    DEFAULT_MAX_BYTES,
    RawContent,
    RawRecord,
    load_file,
    town_max_bytes,
)
from .source import load_content as plain_load
from .yamltree import Marks

if TYPE_CHECKING:
    from ..cache import BuildCache

LAYOUT = 2
SHARDS = 16  # files `load.0.pickle` … `load.15.pickle`, by a hash of the file's path
PARALLEL_MIN_FILES = 300

FileStat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns
# A parse result as stored: (None, diagnostics) or ((id, path, data, marks bytes, body, body line,
# source hash), diagnostics).
Stored = tuple[tuple[str, str, Any, bytes, str, int, str] | None, list[Any]]
# One file: stat, when the entry was written (ns, file-system clock), key, kind, front matter, result
Entry = tuple[FileStat, int, str, str, bool, Stored]

_LOAD: dict[str, Any] = {}  # what forked load workers read


def _load_chunk(indices: list[int]) -> list[tuple[int, Stored]]:
    """Parse in a forked worker; the marks travel as bytes, decoded in the main process only if
    a diagnostic needs them."""
    root, files, max_bytes = _LOAD["root"], _LOAD["files"], _LOAD["max_bytes"]
    out = []
    for n in indices:
        file, kind, fm = files[n]
        out.append((n, _stored(*load_file(root, Path(file), kind, fm, max_bytes))))
    return out


def _trusted(st: FileStat, entry: Entry) -> bool:
    """Git's racy rule: same stat, and the stat is older than the entry (see module docstring)."""
    return st == entry[0] and max(st[1], st[3]) < entry[1] - RACY_MARGIN_NS


def _record(kind: str, result: Stored) -> RawRecord | None:
    rec = result[0]
    if rec is None:
        return None
    rid, path, data, marks, body, body_line, source_hash = rec
    return RawRecord(kind, rid, path, data, Marks.from_bytes(marks), body, body_line, source_hash)


def _stored(record: RawRecord | None, diags: list[Any]) -> Stored:
    if record is None:
        return (None, diags)
    return ((record.id, record.path, record.data, record.marks.to_bytes(), record.body, record.body_line, record.source_hash), diags)


def load_content(root: Path, cache: BuildCache, jobs: int = 1, max_bytes: int | None = None) -> RawContent:
    """`loading.load_content` with the per-file cache and, for many changed files, every core.

    Same result as the plain loader: the same records and diagnostics in the same order.
    """
    with gc_paused():  # the records live for the whole build: nothing for the collector to find
        return _load(root, cache, jobs, max_bytes)


def _load(root: Path, cache: BuildCache, jobs: int, max_bytes: int | None) -> RawContent:
    max_bytes = max_bytes or DEFAULT_MAX_BYTES
    if not root.is_dir():
        return plain_load(root, max_bytes)
    files, diags = content_files(root, text=True)  # path strings: a Path only for files read
    raw = RawContent(root)
    raw.diagnostics.extend(diags)
    raw.listed = list(diags)
    if files and files[0][1] == "town":  # site.yaml's max_file_kb applies to every other file
        town, _ = load_file(root, Path(files[0][0]), "town", False, max_bytes)
        if town is not None and isinstance(town.data, dict):
            max_bytes = town_max_bytes(town.data, max_bytes)
    now = file_clock(cache.dir)  # before any file is looked at
    context = (os.getcwd(), str(root), max_bytes)
    old, by_stat = _read_shards(cache, context)
    by_key: dict[str, Entry] | None = None
    new: dict[str, Entry] = {}
    results: list[Any] = [None] * len(files)
    misses: list[int] = []
    keys: list[tuple[str, FileStat, str] | None] = [None] * len(files)
    dirty: set[int] = set()  # shards to write
    trusted = 0
    stats: list[FileStat | None] = [None] * len(files)
    for n, (name, kind, fm) in enumerate(files):
        st = stats[n] = stat_of(name)
        if st is None:
            misses.append(n)
            continue
        entry = by_stat.get(name)
        if entry is not None and entry[3] == kind and entry[4] == fm and _trusted(st, entry):
            new[name] = entry
            results[n] = entry[5]
            trusted += 1
            continue
        try:
            with open(name, "rb") as f:
                data = f.read()
        except OSError:
            misses.append(n)
            continue
        ident = f"{display_path(Path(name))}\0{name}\0{root}\0{kind}\0{fm}\0{max_bytes}\0".encode()
        key = hashlib.sha256(ident + data).hexdigest()
        prev = old.get(name)
        if prev is not None and prev[2] == key:
            entry = prev
        else:
            if by_key is None:
                by_key = {e[2]: e for e in old.values()}
            entry = by_key.get(key)  # the key holds the path, kind and front-matter flag
        if entry is None:
            misses.append(n)
            keys[n] = (name, st, key)
            continue
        results[n] = entry[5]
        stamped = (st, now, key, kind, fm, entry[5])
        if entry is prev and not _trusted(st, stamped):
            new[name] = prev  # modified moments ago: the next build reads it again either way
        else:
            new[name] = stamped
            dirty.add(shard_of(name))
    parsed: dict[int, tuple[RawRecord | None, list[Any]]] = {}
    _parse(root, files, misses, parsed, results, max_bytes, jobs)
    for n in misses:
        if keys[n] is not None and cache.enabled:
            if results[n] is None:
                results[n] = _stored(*parsed.pop(n))
            name, st, key = keys[n]  # type: ignore[misc]
            new[name] = (st, now, key, files[n][1], files[n][2], results[n])
            dirty.add(shard_of(name))
    sources: dict[str, tuple[Any, str, bool, str]] | None = {}
    for n, (name, kind, fm) in enumerate(files):
        if n in parsed:
            record, diags = parsed[n]
        else:
            record, diags = _record(kind, results[n]), results[n][1]
        raw.diagnostics.extend(diags)
        if record is not None:
            raw.records.append(record)
            if sources is not None and stats[n] is not None:
                sources[name] = (stats[n], kind, fm, record.source_hash)
                continue
        sources = None  # a file that did not load, or could not be looked at: no quick rebuild
    raw.sources, raw.clock, raw.max_bytes = sources, now, max_bytes
    cache.stats["loaded"] = len(files) - len(misses)
    cache.stats["parsed"] = len(misses)
    cache.stats["unread"] = trusted
    dirty.update(shard_of(name) for name in old.keys() - new.keys())  # files gone
    _write_shards(cache, context, new, dirty if by_stat is old else set(range(SHARDS)))
    return raw


def shard_of(name: str) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogateescape")) % SHARDS


def _read_shards(cache: BuildCache, context: tuple[str, str, int]) -> tuple[dict[str, Entry], dict[str, Entry]]:
    """All entries (for lookups by key), and the ones whose stat may be trusted (same context:
    the keys depend on the working directory, the content path and the size limit)."""
    entries: dict[str, Entry] = {}
    same = True
    for n in range(SHARDS):
        saved = cache.read(f"load.{n}")
        if not (isinstance(saved, tuple) and len(saved) == 3 and saved[0] == LAYOUT and isinstance(saved[2], dict)):
            continue  # missing or unreadable: its files are read and parsed again
        same = same and saved[1] == context
        entries.update(saved[2])
    return entries, (entries if same else {})


def _write_shards(cache: BuildCache, context: tuple[str, str, int], entries: dict[str, Entry], shards: set[int]) -> None:
    """Rewrite the shards that changed: after one edit, one sixteenth of the cache."""
    if not shards:
        return
    parts: dict[int, dict[str, Entry]] = {n: {} for n in shards}
    for name, entry in entries.items():
        part = parts.get(shard_of(name))
        if part is not None:
            part[name] = entry
    for n, part in sorted(parts.items()):
        cache.write(f"load.{n}", (LAYOUT, context, part))
    cache.forget("load")  # the single file of the previous layout


def _parse(root: Path, files: list[Any], misses: list[int], parsed: dict[int, Any], stored: list[Any], max_bytes: int,
           jobs: int) -> None:
    """Parse the files `misses`: in this process into `parsed` (records), or by forked workers
    into `stored` (the cached form)."""
    from ..pool import fork_map

    if jobs > 1 and len(misses) >= PARALLEL_MIN_FILES and "fork" in mp.get_all_start_methods():
        _LOAD.update(root=root, files=files, max_bytes=max_bytes)
        size = max(50, len(misses) // (jobs * 8))
        chunks = [misses[i : i + size] for i in range(0, len(misses), size)]
        try:
            for part in fork_map(_load_chunk, chunks, jobs):
                for n, result in part:
                    stored[n] = result
        finally:
            _LOAD.clear()
        return
    for n in misses:
        file, kind, fm = files[n]
        parsed[n] = load_file(root, Path(file), kind, fm, max_bytes)


__all__ = ["LAYOUT", "RACY_MARGIN_NS", "file_clock", "load_content"]
