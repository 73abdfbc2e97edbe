"""What a full build leaves for the next quick rebuild (see the package docstring)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cachedir import file_sha256
from ..loading.yamltree import Marks
from ..site import Entry, Site
from ..stamp import build_key

if TYPE_CHECKING:
    from ..cache import BuildCache
    from ..diagnostics import Diagnostic
    from ..options import BuildOptions
    from ..render.pages import Page

VERSION = 4  # 2: print_count; 3: Delta.removed; 4: no lookups kept (made again when read)
NAME = "quick"  # the cache entry (its fingerprint covers gongkai's code and the templates)
DELTA = "quick-delta"  # what quick rebuilds changed since the full build that wrote NAME
MAX_DELTA = 3000  # files changed by quick rebuilds before the snapshot is written whole again

FileStat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns (as the load cache)
OutStat = tuple[int, int, int]  # size, mtime_ns, inode of a file in site/


@dataclass
class Snapshot:
    options: tuple[Any, ...]  # `options_key`: another value means a full build
    marker: str  # sha256 of site/.gongkai-build.json: which build site/ holds
    clock: int  # file-system time before the content files were looked at
    max_bytes: int
    listed: list[Diagnostic]  # what listing the content folder reported (stray files)
    files: dict[str, tuple[FileStat, str, bool, str]]  # content file -> (stat, kind, front matter, sha256)
    marks: dict[str, tuple[bytes, int]]  # document id -> (its marks as bytes, body line)
    site: Site  # validated; document bodies and all marks left out
    summaries: dict[str, Any]  # document id -> DocSummary, every public document
    diagnostics: list[Diagnostic]
    deps: dict[str, tuple[str, ...]]  # output path -> the documents whose bodies it shows
    pages: dict[str, Page]  # the pages among `deps`
    feeds: list[str]  # the feeds among `deps`
    manifest: dict[str, str]  # every file of site/ -> sha256
    stats: dict[str, OutStat]
    keyed: dict[str, tuple[str, str]]  # the cache's `outputs` (path -> key, sha256)
    page_count: int
    attributes: dict[str, int]
    print_count: int = 0  # notice-board prints, counted with the pages in the summary
    static: dict[str, tuple[str, FileStat]] = field(default_factory=dict)  # copied file -> (source, stat)
    version: int = VERSION
    token: str = field(default_factory=lambda: uuid.uuid4().hex)  # names this snapshot for its deltas


@dataclass
class Delta:
    """What quick rebuilds changed since the snapshot `base` was written (all of them, merged).

    A quick rebuild writes this small file instead of the whole snapshot again.
    """

    base: str
    marker: str = ""
    clock: int = -1
    files: dict[str, tuple[FileStat, str, bool, str]] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)  # type: ignore[type-arg]
    summaries: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    deps: dict[str, tuple[str, ...]] = field(default_factory=dict)
    manifest: dict[str, str] = field(default_factory=dict)
    stats: dict[str, OutStat] = field(default_factory=dict)
    keyed: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # None: no longer keyed
    static: dict[str, tuple[str, FileStat]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)  # files of the snapshot's site no longer in site/

    def size(self) -> int:
        return len(self.files) + len(self.manifest) + len(self.entries)


def load_snapshot(cache: BuildCache) -> tuple[Snapshot, Delta] | None:
    """The last build's snapshot with every quick rebuild since applied, and the delta so far."""
    snap = cache.read(NAME)
    if not isinstance(snap, Snapshot) or snap.version != VERSION:
        return None
    delta = cache.read(DELTA)
    if not isinstance(delta, Delta) or delta.base != snap.token:
        return snap, Delta(snap.token)
    try:
        return apply(snap, delta), delta
    except (AttributeError, TypeError, ValueError):  # a delta of another layout: no snapshot, a full build
        return None


def apply(snap: Snapshot, delta: Delta) -> Snapshot:
    """`snap` with `delta` in it (in place)."""
    snap.marker, snap.clock, snap.diagnostics = delta.marker, delta.clock, list(delta.diagnostics)
    for target, part in ((snap.files, delta.files), (snap.site.documents, delta.entries), (snap.summaries, delta.summaries),
                         (snap.deps, delta.deps), (snap.manifest, delta.manifest), (snap.stats, delta.stats),
                         (snap.static, delta.static)):
        target.update(part)  # type: ignore[attr-defined]
    for rel in delta.removed:
        snap.manifest.pop(rel, None)
        snap.stats.pop(rel, None)
    for rel, value in delta.keyed.items():
        if value is None:
            snap.keyed.pop(rel, None)
        else:
            snap.keyed[rel] = value
    return snap


def save_delta(cache: BuildCache, delta: Delta, whole: Callable[[], Snapshot]) -> None:
    """After a quick rebuild: the delta, or the whole snapshot once the delta has grown large."""
    if delta.size() > MAX_DELTA:
        snap = whole()
        snap.token = uuid.uuid4().hex
        cache.write(NAME, snap)
        cache.forget(DELTA)
    else:
        cache.write(DELTA, delta)


def outputs_after_quick(cache: BuildCache, marker: str | None) -> dict[str, tuple[str, str, OutStat]] | None:
    """The cache's `outputs` (key, digest and stat of each keyed file) for `site/` as a quick
    rebuild left it (it does not rewrite `outputs.pickle`); None if `site/` is another build."""
    loaded = load_snapshot(cache)
    if loaded is None or marker is None or loaded[0].marker != marker:
        return None
    snap = loaded[0]
    return {rel: (key, digest, snap.stats[rel]) for rel, (key, digest) in snap.keyed.items() if rel in snap.stats}


def options_key(options: BuildOptions, today: date) -> tuple[Any, ...]:
    """Everything besides content, code and templates that decides the output (`stamp.build_key`)."""
    return (VERSION, *build_key(options, today))


ANY = "*"  # in `documents_read`: the output read every document (it is made again after any edit)


def documents_read(reads: Iterable[str]) -> tuple[str, ...]:
    """The documents an output read, from the keys the engine recorded while it was made
    (`engine.py`): their entries, bodies or list summaries; `ANY` if it went through them all."""
    ids = set()
    for key in reads:
        if key.startswith(("doc:", "sum:")):
            ids.add(ANY if key.endswith(":*") else key[4:])
        elif key in ("docs:*", "pub:*"):
            ids.add(ANY)
    return tuple(sorted(ids))


def stripped(site: Site) -> Site:
    """The site without document bodies and marks: what rendering needs besides bodies.

    Bodies are `None`, so that anything reading an unchanged body in a quick rebuild fails
    (and the build falls back to a full one) rather than render an empty text.
    """

    empty = Marks()

    def bare(entries: dict[str, Entry], keep_body: bool) -> dict[str, Entry]:  # type: ignore[type-arg]
        return {k: _without(e, empty, keep_body) for k, e in entries.items()}

    return Site(
        root=site.root, town=bare({"site": site.town}, True)["site"], villages=bare(site.villages, True),
        areas=bare(site.areas, True), documents=bare(site.documents, False), guides=bare(site.guides, True),
        consultations=bare(site.consultations, True), lists=bare(site.lists, True), today=site.today,
        institution=bare({"institution": site.institution}, True)["institution"] if site.institution else None,
        applications=bare(site.applications, True), annual=bare(site.annual, True),
    )


def with_marks(site: Site, marks: dict[str, tuple[bytes, int]]) -> Site:
    """A copy of the (stripped) site whose documents have their marks again, decoded when a
    diagnostic needs one: for rules run over the whole site in a quick rebuild."""
    documents = {i: _without(e, Marks.from_bytes(marks[i][0]), True) for i, e in site.documents.items()}
    return Site(root=site.root, town=site.town, villages=site.villages, areas=site.areas, documents=documents,
                guides=site.guides, consultations=site.consultations, lists=site.lists, today=site.today,
                institution=site.institution, applications=site.applications, annual=site.annual)


def with_body(entry: Entry, body: str) -> Entry:  # type: ignore[type-arg]
    """A stripped entry with its body again."""
    copy = _without(entry, entry.marks, True)
    copy.__dict__["body"] = body
    return copy


def stripped_entries(site: Site, ids: set[str]) -> dict[str, Entry]:  # type: ignore[type-arg]
    """Documents `ids` as a snapshot keeps them: no body, no marks."""
    empty = Marks()
    return {i: _without(site.documents[i], empty, False) for i in ids}


def _without(entry: Entry, marks: Marks, keep_body: bool) -> Entry:  # type: ignore[type-arg]
    """A copy of the (frozen) entry with other marks and maybe no body, made field by field in C:
    `dataclasses.replace` costs 0.1 s over 10,000 documents."""
    copy = object.__new__(Entry)
    fields = copy.__dict__
    fields.update(entry.__dict__)
    fields["marks"] = marks
    if not keep_body:
        fields["body"] = None
    return copy


def _regular_stat(path: Path) -> FileStat | None:
    from ..cachedir import stat_of

    return stat_of(str(path))


def out_stat(path: str) -> OutStat | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def save_snapshot(
    cache: BuildCache, options: BuildOptions, raw: Any, site: Site, catalogue: Any,
    static: list[tuple[str, Path]],
    diagnostics: list[Diagnostic], deps: dict[str, tuple[str, ...]], pages: list[Page], feeds: list[str],
    manifest: dict[str, str], keyed: dict[str, tuple[str, str]], attributes: dict[str, int], page_count: int,
    stats: dict[str, OutStat], print_count: int = 0,
) -> None:
    """After a committed full build: remember what a quick rebuild needs (or forget it)."""
    from ..gcpause import gc_paused

    with gc_paused():  # thousands of new small objects, nothing cyclic: no need to rescan the heap
        _save_snapshot(cache, options, raw, site, catalogue, static, diagnostics, deps, pages, feeds, manifest,
                       keyed, attributes, page_count, stats, print_count)


def _save_snapshot(
    cache: BuildCache, options: BuildOptions, raw: Any, site: Site, catalogue: Any,
    static: list[tuple[str, Path]], diagnostics: list[Diagnostic], deps: dict[str, tuple[str, ...]], pages: list[Page],
    feeds: list[str], manifest: dict[str, str], keyed: dict[str, tuple[str, str]], attributes: dict[str, int],
    page_count: int, stats: dict[str, OutStat], print_count: int,
) -> None:
    from ..output import MARKER

    if not cache.enabled:
        return
    if raw.sources is None:
        cache.forget(NAME)
        return
    marker_digest = file_sha256(options.output / MARKER)
    if stats.keys() != manifest.keys():  # a file of the new site is already gone
        cache.forget(NAME)
        return
    if marker_digest is None:
        cache.forget(NAME)
        return
    by_path = {p.path: p for p in pages}
    kept = {path: ids for path, reads in deps.items() if (ids := documents_read(reads))}
    snapshot = Snapshot(
        options=options_key(options, site.today), marker=marker_digest, clock=raw.clock,
        max_bytes=raw.max_bytes, listed=list(raw.listed), files=dict(raw.sources),
        marks={i: (e.marks.to_bytes(), e.body_line) for i, e in site.documents.items()},
        site=stripped(site), summaries=dict(catalogue.summaries), diagnostics=list(diagnostics), deps=kept,
        pages={path: by_path[path] for path in kept if path in by_path}, feeds=[f for f in feeds if f in kept],
        manifest=dict(manifest), stats=stats, keyed=dict(keyed), page_count=page_count, attributes=dict(attributes),
        print_count=print_count, static={rel: (str(source), st) for rel, source in static if (st := _regular_stat(source)) is not None},
    )
    cache.write(NAME, snapshot)
    cache.forget(DELTA)


__all__ = [
    "DELTA",
    "NAME",
    "VERSION",
    "Delta",
    "Snapshot",
    "load_snapshot",
    "options_key",
    "outputs_after_quick",
    "save_delta",
    "save_snapshot",
    "stripped",
]
