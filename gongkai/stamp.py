"""The build's stamp: what the last build read, so that a build that would read the same does nothing.

Every build's output is a function of its inputs: the content files, the attachments it copies,
gongkai's code, the templates and libraries (`cache.fingerprint`), the options and the day. A
successful build (full or quick) ends by writing a `Stamp` into the build cache, sealed as every
cache file is:

- the build key (`build_key`: options, `--today`, working folder) — the fingerprint is the cache's;
- every content file's stat and SHA-256 as the loader saw them, what listing the folder reported,
  and the file-system clock taken before any file was looked at;
- the stat and digest of each file the build copied (our CSS/JS, attachments);
- every file of `site/` with its stat, and the digest of `site/`'s completion marker;
- that build's diagnostics and summary figures.

The next build asks `unchanged` first. When the key is the same, `content/` lists the same files,
every content file and copied file has the same stat (a file whose stat is not older than the
clock, git's racy rule, is compared by its bytes) and every file of `site/` is as that build left
it, the build is done: `site/` already is what the content makes, and the previous diagnostics
are this build's. Anything else, and the build runs. This module imports nothing that parses,
validates or renders, so the answer comes before the rest of gongkai is loaded.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cachedir import RACY_MARGIN_NS, file_sha256, stat_of
from .contentfiles import content_files
from .diagnostics import Diagnostic, Diagnostics
from .options import BuildOptions, BuildResult, report_timings
from .output import MARKER, unfinished

if TYPE_CHECKING:
    from .cache import BuildCache

VERSION = 2  # 2: attachments
NAME = "stamp"  # the cache entry (its fingerprint covers gongkai's code and the templates)

FileStat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns (as the load cache)
OutStat = tuple[int, int, int]  # size, mtime_ns, inode of a file in site/
AttachmentStat = tuple[int, int, int, int, int]  # mode, size, mtime_ns, inode, ctime_ns
ATTACHMENTS = "attachments"  # content/attachments/


@dataclass
class Stamp:
    key: tuple[Any, ...]  # `build_key`
    marker: str  # sha256 of site/.gongkai-build.json
    clock: int  # file-system time before the content files were looked at
    listed: list[Diagnostic]  # what listing content/ reported (stray files)
    files: dict[str, tuple[FileStat, str, bool, str]]  # content file -> (stat, kind, front matter, sha256)
    copied: dict[str, tuple[str, FileStat, str]]  # site file -> (source, stat, sha256) of each copied file
    outputs: dict[str, OutStat]  # every file of site/ the build wrote
    diagnostics: list[Diagnostic]
    pages: int
    file_count: int
    attributes: dict[str, int]
    prints: int
    attachments: dict[str, AttachmentStat] = field(default_factory=dict)  # the others of content/attachments/
    version: int = VERSION
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


def build_key(options: BuildOptions, today: date) -> tuple[Any, ...]:
    """Everything besides content, code and templates that decides the output."""
    templates = str(options.templates.resolve()) if options.templates is not None else None
    return (os.getcwd(), str(options.content.resolve()), str(options.output.resolve()), templates,
            options.base_url, repr(options.frame), today.isoformat())


def write_stamp(cache: BuildCache, stamp: Stamp) -> None:
    cache.write(NAME, stamp)


def forget_stamp(cache: BuildCache) -> None:
    cache.forget(NAME)


def save_stamp(cache: BuildCache, options: BuildOptions, today: date, clock: int, listed: list[Diagnostic],
               files: dict[str, tuple[FileStat, str, bool, str]], copied: list[tuple[str, str, str]],
               outputs: dict[str, OutStat], diagnostics: list[Diagnostic], summary: tuple[int, int, dict[str, int], int],
               ) -> None:
    """After a committed build: its stamp, or none when something it read cannot be told again.

    `copied`: (site file, source, sha256) of each copied file; `outputs`: the stat of every file
    of `site/`; `summary`: pages, files, documents by attribute, prints.
    """
    if options.on_site is not None or not options.quick:  # a county's township, or no stamps wanted: never asked,
        forget_stamp(cache)  # and none older may outlive this build
        return
    marker = file_sha256(options.output / MARKER)
    stats = {rel: (source, found, digest) for rel, source, digest in copied if (found := stat_of(source)) is not None}
    attachments = attachment_entries(options.content, {source for _, source, _ in copied})
    if marker is None or clock < 0 or len(stats) != len(copied) or attachments is None:
        forget_stamp(cache)
        return
    pages, file_count, attributes, prints = summary
    write_stamp(cache, Stamp(build_key(options, today), marker, clock, list(listed), dict(files), stats, dict(outputs),
                             list(diagnostics), pages, file_count, dict(attributes), prints, attachments))


def stamp_build(cache: BuildCache, options: BuildOptions, today: date, raw: Any, static: list[tuple[str, Path]],
                manifest: dict[str, str], outputs: dict[str, OutStat], diagnostics: list[Diagnostic],
                summary: tuple[int, int, dict[str, int], int]) -> None:
    """`save_stamp` after a full build: `raw` is what the cached loader read (`RawContent`)."""
    if raw.sources is None or outputs.keys() != manifest.keys():  # not the cached loader, or a file already gone
        forget_stamp(cache)
        return
    save_stamp(cache, options, today, raw.clock, raw.listed, raw.sources,
               [(rel, str(source), manifest[rel]) for rel, source in static], outputs, diagnostics, summary)


def same_file(name: str, known: FileStat, digest: str, clock: int) -> FileStat | None:
    """The file's stat if it holds what it held (`known`, `digest`); None if it changed. A stat
    that is not older than `clock` proves nothing (racy): the bytes are compared then."""
    st = stat_of(name)
    if st is None:
        return None
    if st == known and max(st[1], st[3]) < clock - RACY_MARGIN_NS:
        return st
    return st if file_sha256(name) == digest else None


#: From this many files of `site/` on, their stats are checked in a forked process while this one
#: checks the content (each is a few tens of thousands of system calls at 10,000 documents).
PARALLEL_OUTPUTS = 2000
CONTENT_COST = 2  # looking at a content file (listed, then its stat) costs about two output files


@dataclass
class Looked:
    """What `unchanged` saw of `content/`, so that the build after it need not look again: the
    clock taken before anything was looked at, and — once the listing was the stamp's — the
    listing, what it reported, and every content file's stat as `cachedir.stat_of` gives it."""

    clock: int
    listing: list[tuple[str, str, bool]] | None = None
    listed: list[Diagnostic] = field(default_factory=list)
    stats: dict[str, FileStat | None] = field(default_factory=dict)
    attachments: bool = False  # every file of content/attachments/ that is not copied is as it was
    #: every file of `site/` with its stat as the last build left it, once `site/`'s marker was
    #: the stamp's (the quick rebuild links them while it loads its snapshot)
    outputs: dict[str, OutStat] | None = None


def unchanged(options: BuildOptions, cache: BuildCache, today: date, looked: Looked, fork: bool) -> BuildResult | None:
    """The last build's result if this build would read exactly what it read; else None.

    `looked.clock`: the file-system clock taken before anything is looked at (`cachedir.file_clock`);
    what is seen of `content/` is left in `looked`. `fork`: whether `site/` may be checked in a
    forked process meanwhile (`capabilities`).
    """
    started = time.perf_counter()
    clock_now = looked.clock
    stamp = cache.read(NAME)
    if not isinstance(stamp, Stamp) or stamp.version != VERSION or clock_now < 0:
        return None
    if stamp.key != build_key(options, today) or file_sha256(options.output / MARKER) != stamp.marker:
        return None
    if unfinished(options.output):  # another build is writing, or one was cut off: the writer sees to it
        return None
    looked.outputs = stamp.outputs
    base = str(options.output)
    outputs = list(stamp.outputs.items())
    if fork and len(outputs) >= PARALLEL_OUTPUTS:
        from .pool import Forked

        # this process lists and looks at the content, then at the first `mine` files of site/
        mine = max(0, (len(outputs) - CONTENT_COST * len(stamp.files)) // 2)
        theirs = Forked(outputs_as_written, base, outputs[mine:])
        inputs = inputs_as_read(options.content, stamp, looked)
        if inputs is None:  # an edit: the usual answer, found without waiting for site/
            theirs.cancel()
            return None
        written = outputs_as_written(base, outputs[:mine]) and theirs.result()
    else:
        inputs = inputs_as_read(options.content, stamp, looked)
        written = inputs is not None and outputs_as_written(base, outputs)
    if inputs is None or not written:
        return None
    refreshed, copied = inputs
    if refreshed or copied:  # touched, not changed: next time their stat is trusted again
        stamp.files = {**stamp.files, **refreshed}
        stamp.copied = {**stamp.copied, **copied}
        stamp.clock = clock_now
        write_stamp(cache, stamp)
    timings = {"unchanged": round(time.perf_counter() - started, 4)}
    stats: dict[str, Any] = {"quick": 1, "unchanged": 1, "rendered": 0, "edited": 0, "prints": stamp.prints}
    report_timings(options.timings, timings, stats)
    return BuildResult(True, Diagnostics(list(stamp.diagnostics)), pages=stamp.pages, files=stamp.file_count,
                       timings=timings, attributes=dict(stamp.attributes), stats=stats)


def inputs_as_read(content: Path, stamp: Stamp, looked: Looked) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """None unless `content/` lists the same files and each, and each copied file, holds what it
    held; else the entries whose stat changed or was racy (touched, same bytes), to store again.
    Once one file differs the others are only looked at (`lstat`), for `looked`."""
    listing, listed = content_files(content, text=True)
    if listed != stamp.listed or len(listing) != len(stamp.files):
        return None
    refreshed: dict[str, tuple[FileStat, str, bool, str]] = {}
    files, clock = stamp.files, stamp.clock
    seen: dict[str, FileStat | None] = {}
    same = True
    for name, kind, fm in listing:
        known = files.get(name)
        if known is None or known[1] != kind or known[2] != fm:
            return None
        if not same:
            seen[name] = stat_of(name)
            continue
        st = stat_of(name)
        seen[name] = st
        if st is None:
            same = False
        elif st != known[0] or max(st[1], st[3]) >= clock - RACY_MARGIN_NS:
            if file_sha256(name) != known[3]:
                same = False
            else:
                refreshed[name] = (st, kind, fm, known[3])
    looked.listing, looked.listed, looked.stats = listing, listed, seen
    found = attachment_entries(content, {source for source, _, _ in stamp.copied.values()})
    looked.attachments = found is not None and found == stamp.attachments and not any(
        max(entry[2], entry[4]) >= clock - RACY_MARGIN_NS for entry in found.values())
    if not same or not looked.attachments:
        return None
    copied: dict[str, tuple[str, FileStat, str]] = {}
    for rel, (source, known_st, digest) in stamp.copied.items():
        st = same_file(source, known_st, digest, clock)
        if st is None:
            return None
        if st != known_st or max(st[1], st[3]) >= clock - RACY_MARGIN_NS:
            copied[rel] = (source, st, digest)
    return refreshed, copied


def attachment_entries(content: Path, copied: set[str]) -> dict[str, AttachmentStat] | None:
    """lstat of every file and symlink under `content/attachments/` but the copied files (whose
    bytes `copied` compares): the rules read them all (existence, size, type, case of the name)."""
    base = os.path.join(str(content), ATTACHMENTS)
    out: dict[str, AttachmentStat] = {}
    if not os.path.isdir(base):
        return out
    try:
        for folder, dirnames, filenames in os.walk(base):
            for name in (*filenames, *(d for d in dirnames if os.path.islink(os.path.join(folder, d)))):
                path = os.path.join(folder, name)
                if path not in copied:
                    st = os.lstat(path)
                    out[path] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
    except OSError:
        return None
    return out


def outputs_as_written(base: str, outputs: list[tuple[str, OutStat]]) -> bool:
    """Each of these files of `site/` has the size, mtime and inode the build left it with."""
    lstat, join = os.lstat, os.path.join
    try:
        for rel, known in outputs:
            st = lstat(join(base, rel))
            if (st.st_size, st.st_mtime_ns, st.st_ino) != known:
                return False
    except OSError:
        return False
    return True


__all__ = ["NAME", "Looked", "Stamp", "build_key", "forget_stamp", "same_file", "save_stamp", "stamp_build", "unchanged",
           "write_stamp"]
