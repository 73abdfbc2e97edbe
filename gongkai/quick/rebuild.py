"""The quick rebuild itself (see the package docstring): `quick_build` or None (build in full)."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import signal
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostics
from ..gcpause import gc_paused
from ..loading.cached import RACY_MARGIN_NS, _stat, file_clock
from ..loading.source import content_files, load_file
from ..models import Attribute, Document
from ..output import MARKER, SiteWriter
from ..render.deps import recording
from ..site import Entry
from .snapshot import (
    Delta,
    Snapshot,
    digest_file,
    load_snapshot,
    marks_digest,
    options_key,
    out_stat,
    save_delta,
    stripped,
    stripped_entries,
)

if TYPE_CHECKING:
    from ..build import BuildOptions, BuildResult
    from ..cache import BuildCache

#: Diagnostic codes of the rules that read a document's body (all others read front matter).
BODY_RULES = frozenset({"governance.privacy"})
#: Rules over the validated site: for a document whose model and marks are unchanged, and on the
#: same day, their findings are the previous build's (the loader's are not: they read bytes).
FRONT_MATTER_RULES = ("governance.", "xref.")


class NotQuick(Exception):
    """This build needs the full pipeline (the reason is kept in the build's stats)."""


def quick_build(options: BuildOptions, cache: BuildCache, lunr: Path | None, today: date) -> BuildResult | None:
    """Rebuild after body-only edits of documents; None when a full build is needed.

    Nothing is written unless the whole quick rebuild succeeds; a full build after a None
    starts from the same `site/` and cache it would have found.
    """
    if not cache.enabled or lunr is None:
        return None
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 4)
        clock = now

    with gc_paused():
        loaded = load_snapshot(cache)
    if loaded is None or loaded[0].options != options_key(options, lunr, today):
        return None
    try:
        with gc_paused():
            return _quick(options, cache, lunr, *loaded, timings, lap)
    except NotQuick as why:
        cache.stats["quick_skipped"] = str(why)  # type: ignore[assignment]
        return None
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the full build is always right
        cache.stats["quick_skipped"] = f"{type(exc).__name__}: {exc}"  # type: ignore[assignment]
        return None


def _quick(options: BuildOptions, cache: BuildCache, lunr: Path, snap: Snapshot, delta: Delta, timings: dict[str, float],
           lap: Any) -> BuildResult:
    with SiteWriter(options.output) as writer:  # holds the output's lock from here on
        if digest_file(options.output / MARKER) != snap.marker:
            raise NotQuick("site/ is not the snapshot's build")
        linker = Linker(writer, snap)  # links the previous files into the new tree meanwhile
        try:
            edited, files, clock_ns = _changes(options.content, snap, cache)
            lap("load")
            diags = _validate(snap, edited)
            lap("validate")
            if not edited:
                linker.cancel()
                return _unchanged(options, cache, lunr, snap, delta, files, clock_ns, diags, timings)
            return _rebuild(options, cache, lunr, snap, delta, writer, linker, edited, files, clock_ns, diags, timings, lap)
        finally:
            linker.cancel()


def _changes(root: Path, snap: Snapshot, cache: BuildCache) -> tuple[list[Any], dict[str, Any], int]:
    """The documents whose bytes changed (parsed), and the new table of content files."""
    now = file_clock(cache.dir)  # before any file is looked at (the load cache's racy rule)
    if now < 0:
        raise NotQuick("no file clock")
    listing, listed = content_files(root, text=True)
    if listed != snap.listed or len(listing) != len(snap.files):
        raise NotQuick("content files added, removed or stray")
    table = dict(snap.files)
    stale = []
    for name, kind, fm in listing:
        old = table.get(name)
        if old is None or old[1] != kind or old[2] != fm:
            raise NotQuick("content files added, removed or renamed")
        st = _stat(name)
        if st is None:
            raise NotQuick(f"cannot look at {name}")
        if st != old[0] or max(st[1], st[3]) >= snap.clock - RACY_MARGIN_NS:
            stale.append((name, st))
    edited = []
    for name, st in stale:
        _, kind, fm, digest = table[name]
        record, problems = load_file(root, Path(name), kind, fm, snap.max_bytes)
        if record is None or problems:
            raise NotQuick(f"{name} has problems")
        table[name] = (st, kind, fm, record.source_hash)
        if record.source_hash == digest:
            continue  # touched, not changed
        if kind != "document":
            raise NotQuick(f"{name} is not a document")
        edited.append(record)
    return edited, table, now


def _validate(snap: Snapshot, edited: list[Any]) -> Diagnostics:
    """Put the edited documents in the site; their privacy findings replace the previous ones."""
    from ..rules.personal_data import document_findings
    from ..validate.convert import build_model

    site = snap.site
    paths = set()
    for record in edited:
        old = site.documents.get(record.id)
        if old is None or old.path != record.path:
            raise NotQuick("a document moved")
        model, problems = build_model(Document, record)
        if model is None or problems or model != old.model:
            raise NotQuick(f"{record.path}: front matter changed")
        if snap.marks.get(record.id) != (marks_digest(record.marks), record.body_line):
            raise NotQuick(f"{record.path}: front matter changed")
        site.documents[record.id] = Entry(record.id, record.path, model, record.marks, record.body, record.body_line,
                                          record.source_hash)
        paths.add(record.path)
    diags = Diagnostics()
    for d in snap.diagnostics:
        if d.path in paths:
            if d.code in BODY_RULES:
                continue  # scanned again below
            if not d.code.startswith(FRONT_MATTER_RULES):  # e.g. a loader warning about the old bytes
                raise NotQuick(f"{d.path}: {d.code}")
        diags.add(d)
    for record in edited:
        diags.extend(document_findings(site, site.documents[record.id]))
    if diags.errors:
        raise NotQuick("errors")
    return diags


def _rebuild(options: BuildOptions, cache: BuildCache, lunr: Path, snap: Snapshot, delta: Delta, writer: SiteWriter,
             linker: Linker, edited: list[Any],
             files: dict[str, Any], clock_ns: int, diags: Diagnostics, timings: dict[str, float], lap: Any) -> BuildResult:
    from ..build import BuildResult, _report_timings
    from ..cache import key_of
    from ..reach import opendata, opendata_context, qr
    from ..render import Renderer
    from ..render.markup import plain_text, render_markdown

    site = snap.site
    site.__dict__.update(snap.site_cache)
    out = options.output
    changed = {r.id for r in edited}
    public = sorted(i for i in changed if site.documents[i].model.attribute is not Attribute.WITHHELD)
    for doc_id, summary in snap.summaries.items():
        if doc_id not in changed:
            site.derived[("summary", doc_id)] = summary
    for doc_id in changed:
        entry = site.documents[doc_id]
        if entry.model.attribute is Attribute.ACTIVE:
            html = render_markdown(entry.body)
            site.derived[("html", doc_id)] = html
            site.derived[("text", doc_id)] = plain_text(html)
    base_url = options.base_url or site.town.model.base_url
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    renderer = Renderer(site, options.templates, base_url, cache.dir / "jinja" if cache.dir is not None else None)
    renderer.cat.__dict__.update(snap.catalogue_cache)
    renderer.cat.summaries  # noqa: B018 - made here, not inside the first page's recording (it notes every id)
    qr.use_store(cache.dir / qr.STORE if cache.dir is not None else None)
    lap("bodies")

    made: dict[str, bytes] = {}
    keyed = dict(snap.keyed)
    deps = dict(snap.deps)
    feeds = dict(renderer.feeds()) if snap.feeds else {}
    for path, ids in snap.deps.items():
        if changed.isdisjoint(ids):
            continue
        page = snap.pages.get(path)
        with recording() as reads:
            if page is not None:
                ctx = renderer.context(page)
                key = key_of(cache.fp, page.template, ctx)
                data = renderer.render_context(page, ctx)
                if key is None:
                    keyed.pop(path, None)
                else:
                    keyed[path] = (key, hashlib.sha256(data).hexdigest())
            elif path in feeds:
                data = feeds[path]()
            else:
                raise NotQuick(f"{path}: unknown output")
        made[path] = data
        deps[path] = tuple(sorted(reads))
    lap("render")

    if public:
        documents = _read(out / opendata.DOCUMENTS_JSON, snap)
        patched = opendata.patch_documents(documents, site, base_url, set(public)) if documents is not None else None
        if patched is None:
            raise NotQuick("documents.json")
        made[opendata.DOCUMENTS_JSON] = patched
        keyed.pop(opendata.DOCUMENTS_JSON, None)  # keyed by its data: the next full build makes it again
        sizes = {rel: snap.stats[rel][0] for rel in (opendata.CATALOG_CSV, opendata.CATALOG_JSON, opendata.CATALOG_SCHEMA,
                                                     opendata.DOCUMENTS_SCHEMA)}
        sizes[opendata.DOCUMENTS_JSON] = len(patched)
        template = "opendata.html"
        ctx = opendata_context(site, renderer, sizes)
        data = renderer.env.get_template(template).render(ctx).encode("utf-8")
        made[opendata.INDEX] = data
        key = key_of(cache.fp, opendata.INDEX, template, ctx)
        if key is not None:
            keyed[opendata.INDEX] = (key, hashlib.sha256(data).hexdigest())
    lap("reach")

    search_state, texts = _search(site, renderer, cache, out, snap, public, made, keyed)
    lap("index")

    _check_static(site, lunr, snap, delta)
    stale = linker.wait()
    if not stale <= made.keys():
        raise NotQuick(f"site/{min(stale - made.keys())} was changed by hand")
    for rel, digest in snap.manifest.items():
        writer.record(rel, digest)
    for rel, data in made.items():
        if rel not in snap.manifest:
            raise NotQuick(f"{rel}: a new file")
        writer.replace(rel, data)  # never write through a link into the previous site
    manifest = writer.manifest()
    writer.commit()
    lap("write")

    base = str(out)
    stats: dict[str, Any] = {}
    for rel in made:  # linked files keep their inode, size and mtime; the others are new
        st = out_stat(os.path.join(base, rel))
        if st is not None:
            stats[rel] = st
    if search_state is not None:
        texts.flush()
        cache.write("search_index", search_state)
    delta.marker, delta.clock, delta.diagnostics = digest_file(out / MARKER) or "", clock_ns, diags.sorted()
    delta.files.update((name, row) for name, row in files.items() if row != snap.files[name])
    delta.entries.update(stripped_entries(site, changed))
    delta.summaries.update((doc_id, site.derived[("summary", doc_id)]) for doc_id in public)
    delta.deps.update((path, ids) for path, ids in deps.items() if ids != snap.deps.get(path))
    delta.manifest.update((rel, d) for rel, d in manifest.items() if d != snap.manifest.get(rel))
    delta.stats.update(stats)
    delta.keyed.update((rel, keyed.get(rel)) for rel in keyed.keys() | snap.keyed.keys() if keyed.get(rel) != snap.keyed.get(rel))
    save_delta(cache, delta, lambda: _applied(snap, delta))
    lap("cache")
    result_stats: dict[str, Any] = {"quick": 1, "rendered": len(made), "edited": len(edited),
                                    "search_patched": cache.stats.get("search_patched", 0)}
    _report_timings(timings, result_stats)
    return BuildResult(True, diags, pages=snap.page_count, files=len(manifest), timings=timings,
                       attributes=dict(snap.attributes), stats=result_stats)


def _check_static(site: Any, lunr: Path, snap: Snapshot, delta: Delta) -> None:
    """The files every full build copies (assets, lunr.js, attachments) must be unchanged."""
    from ..build import static_files

    for rel, source in static_files(site, lunr):
        known = snap.static.get(rel)
        if known is None or known[0] != str(source) or rel not in snap.manifest:
            raise NotQuick(f"{rel}: a new static file")
        st = _stat(str(source))
        if st is None:
            raise NotQuick(f"{rel}: not a regular file")
        if st != known[1] or max(st[1], st[3]) >= snap.clock - RACY_MARGIN_NS:
            if hashlib.sha256(source.read_bytes()).hexdigest() != snap.manifest[rel]:
                raise NotQuick(f"{rel} changed")  # attachments are checked by the full build
            delta.static[rel] = (str(source), st)


def _unchanged(options: BuildOptions, cache: BuildCache, lunr: Path, snap: Snapshot, delta: Delta,
               files: dict[str, Any], clock_ns: int, diags: Diagnostics, timings: dict[str, float]) -> BuildResult:
    """No content changed: `site/` stays as it is, once it is checked to be the snapshot's."""
    from ..build import BuildResult, _report_timings

    _check_static(snap.site, lunr, snap, delta)
    base = str(options.output)
    lstat = os.lstat
    for rel, known in snap.stats.items():
        try:
            st = lstat(os.path.join(base, rel))
        except OSError:
            raise NotQuick(f"site/{rel} is gone") from None
        if (st.st_size, st.st_mtime_ns, st.st_ino) != known:
            raise NotQuick(f"site/{rel} was changed by hand")
    delta.marker, delta.clock, delta.diagnostics = snap.marker, clock_ns, diags.sorted()
    delta.files.update((name, row) for name, row in files.items() if row != snap.files[name])
    save_delta(cache, delta, lambda: _applied(snap, delta))
    stats: dict[str, Any] = {"quick": 1, "rendered": 0, "edited": 0}
    _report_timings(timings, stats)
    return BuildResult(True, diags, pages=snap.page_count, files=len(snap.manifest), timings=timings,
                       attributes=dict(snap.attributes), stats=stats)


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
                    from ..render.parallel import _die_with_parent

                    os.close(reader)
                    _die_with_parent(parent)
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


def _applied(snap: Snapshot, delta: Delta) -> Snapshot:
    """`snap` with `delta` in it (for writing it whole)."""
    snap.marker, snap.clock, snap.diagnostics = delta.marker, delta.clock, list(delta.diagnostics)
    for target, part in ((snap.files, delta.files), (snap.summaries, delta.summaries), (snap.deps, delta.deps),
                         (snap.manifest, delta.manifest), (snap.stats, delta.stats), (snap.static, delta.static)):
        target.update(part)  # type: ignore[attr-defined]
    snap.site = stripped(snap.site)
    snap.keyed = {rel: v for rel, v in {**snap.keyed, **delta.keyed}.items() if v is not None}  # type: ignore[misc]
    return snap


def _read(path: Path, snap: Snapshot) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _search(site: Any, renderer: Any, cache: BuildCache, out: Path, snap: Snapshot, public: list[str],
            made: dict[str, bytes], keyed: dict[str, tuple[str, str]]) -> Any:
    """Patch the search files for the edited public documents; the new cache entry (or None)."""
    if not public:
        return None, None
    from ..indexing import search_records
    from ..render.parallel import SEARCH_KEY
    from ..search import patch_bodies
    from ..search.textstore import TextStore

    saved = cache.read("search_index")
    if not saved or cache.dir is None:
        raise NotQuick("no search index state")
    state, digests = saved

    def read_file(rel: str) -> bytes | None:
        if rel not in digests or snap.manifest.get(rel) != digests[rel]:
            return None
        try:
            return (out / rel).read_bytes()
        except OSError:
            return None

    records = search_records(site, renderer.cat, public)
    store = _AfterCommit(TextStore(cache.dir / "search-texts.sqlite"))
    build = patch_bodies(state, records, read_file, store)  # type: ignore[arg-type]
    if build is None:
        raise NotQuick("search index")
    written = dict(digests)
    for rel, data in build.files.items():
        if rel not in digests:
            raise NotQuick("search files")
        made[rel] = data
        written[rel] = keyed_digest = hashlib.sha256(data).hexdigest()
        keyed[rel] = (SEARCH_KEY, keyed_digest)
    cache.stats["search_patched"] = build.patched
    return (build.state, written), store


class _AfterCommit:
    """The text store, with its writes held back until the new site is in place: if the quick
    rebuild gives up before, the full build after it still finds the previous build's texts."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.puts: list[tuple[list[Any], Any, bool]] = []

    def get(self, ids: Any, token: bytes) -> Any:
        return self.store.get(ids, token)

    def put(self, rows: Any, token: Any, *, replace_all: bool) -> None:
        self.puts.append((list(rows), token, replace_all))

    def flush(self) -> None:
        for rows, token, replace_all in self.puts:
            self.store.put(rows, token, replace_all=replace_all)


__all__ = ["NotQuick", "quick_build"]
