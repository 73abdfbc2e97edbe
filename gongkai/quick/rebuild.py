"""The quick rebuild itself (see the package docstring): `quick_build` or None (build in full)."""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cachedir import RACY_MARGIN_NS, file_clock, file_sha256, stat_of
from ..contentfiles import content_files
from ..diagnostics import Diagnostics
from ..gcpause import gc_paused, never_scan_what_lives_now
from ..loading.source import load_file
from ..models import Document
from ..output import MARKER, SiteWriter
from ..site import Entry
from ..stamp import Looked, forget_stamp, save_stamp
from .linker import Linker, NotQuick
from .remake import Remake, applied
from .snapshot import (
    Delta,
    Snapshot,
    apply,
    load_snapshot,
    options_key,
    save_delta,
    with_marks,
)

if TYPE_CHECKING:
    from ..cache import BuildCache
    from ..options import BuildOptions, BuildResult

#: Diagnostic codes of the rules that read a document's body (all others read front matter).
BODY_RULES = frozenset({"governance.privacy", "governance.empty_body"})
#: Rules over the validated site: for a document whose model and marks are unchanged, and on the
#: same day, their findings are the previous build's (the loader's are not: they read bytes).
FRONT_MATTER_RULES = ("governance.", "xref.")
#: Front-matter fields a quick rebuild may see changed: what documents show, never what places
#: them (dates, item, villages, attribute, kind, links …). Outputs that show them note the
#: document (the engine records it, `engine.py`).
DISPLAY_FIELDS = frozenset({"title", "summary", "keywords"})
#: Rules whose messages quote other documents' titles: run again over the whole site after a
#: display edit (their previous findings elsewhere may name the old title).
TITLE_RULES = {"governance.interpretation_lag": "interpretation_lag", "governance.restates_mismatch": "restates_mismatch"}


_KEPT: list[Any] = []


def quick_build(options: BuildOptions, cache: BuildCache, today: date, looked: Looked | None = None) -> BuildResult | None:
    """Rebuild after body-only edits of documents; None when a full build is needed. `looked`:
    what the stamp saw of `content/` (`stamp.unchanged`), not looked at again.

    Nothing is written unless the whole quick rebuild succeeds; a full build after a None
    starts from the same `site/` and cache it would have found.
    """
    if not cache.enabled:
        return None
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 4)
        clock = now

    try:
        with ExitStack() as stack:
            writer: SiteWriter | None = None
            early: Linker | None = None
            if looked is not None and looked.outputs is not None:
                # The stamp vouched for site/ (its marker, every file's stat): link it while the snapshot loads.
                writer = stack.enter_context(SiteWriter(options.output, fsync=options.fsync))  # the output's lock from here on
                early = Linker(writer, looked.outputs)
                stack.callback(early.cancel)
            with gc_paused():
                loaded = load_snapshot(cache)
                never_scan_what_lives_now()  # the snapshot lives for the build and after it (`_KEPT`)
            if loaded is None or loaded[0].options != options_key(options, today):
                return None
            if writer is None:
                writer = stack.enter_context(SiteWriter(options.output, fsync=options.fsync))
            with gc_paused():
                result = _quick(options, cache, today, *loaded, writer, early, timings, lap, looked)
            _KEPT[:] = [loaded]  # freed with the next build or the process, not while the user waits
            return result
    except NotQuick as why:
        cache.stats["quick_skipped"] = str(why)  # type: ignore[assignment]
        return None
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the full build is always right
        cache.stats["quick_skipped"] = f"{type(exc).__name__}: {exc}"  # type: ignore[assignment]
        return None


def _quick(options: BuildOptions, cache: BuildCache, today: date, snap: Snapshot, delta: Delta, writer: SiteWriter,
           early: Linker | None, timings: dict[str, float], lap: Any, looked: Looked | None) -> BuildResult:
    if file_sha256(options.output / MARKER) != snap.marker:
        raise NotQuick("site/ is not the snapshot's build")
    stats = {rel: snap.stats[rel] for rel in snap.manifest}
    if early is not None and early.stats == stats:
        linker = early  # linking since before the snapshot was loaded
    elif early is not None:  # the stamp described another site/ than the snapshot: not linked twice
        raise NotQuick("the stamp and the snapshot disagree")
    else:
        linker = Linker(writer, stats)  # links the previous files into the new tree meanwhile
    try:
        edited, files, clock_ns = _changes(options.content, snap, cache, looked)
        lap("load")
        diags, display = _validate(snap, edited)
        lap("validate")
        if not edited:
            linker.cancel()
            return _unchanged(options, cache, today, snap, delta, files, clock_ns, diags, timings)
        return _rebuild(options, cache, today, snap, delta, writer, linker, edited, display, files, clock_ns,
                        diags, timings, lap)
    finally:
        linker.cancel()


def _changes(root: Path, snap: Snapshot, cache: BuildCache,
             looked: Looked | None) -> tuple[list[Any], dict[str, Any], int]:
    """The documents whose bytes changed (parsed), and the new table of content files."""
    stats: dict[str, Any] | None = None
    if looked is not None and looked.listing is not None:  # the stamp looked already (and after its clock)
        if not looked.attachments:  # the rules read every attachment (existence, size, type)
            raise NotQuick("content/attachments/ changed")
        now, listing, listed, stats = looked.clock, looked.listing, looked.listed, looked.stats
    else:
        now = file_clock(cache.dir)  # before any file is looked at (the load cache's racy rule)
        listing, listed = content_files(root, text=True)
    if now < 0:
        raise NotQuick("no file clock")
    if listed != snap.listed or len(listing) != len(snap.files):
        raise NotQuick("content files added, removed or stray")
    table = dict(snap.files)
    stale = []
    for name, kind, fm in listing:
        old = table.get(name)
        if old is None or old[1] != kind or old[2] != fm:
            raise NotQuick("content files added, removed or renamed")
        st = stats.get(name) if stats is not None else stat_of(name)
        if st is None:
            raise NotQuick(f"cannot look at {name}")
        if st != old[0] or max(st[1], st[3]) >= snap.clock - RACY_MARGIN_NS:
            stale.append((name, st))
    edited = []
    for name, st in stale:
        _, kind, fm, digest = table[name]
        try:
            with open(name, "rb") as f:
                same = hashlib.sha256(f.read()).hexdigest() == digest
        except OSError:
            raise NotQuick(f"cannot read {name}") from None
        if same:  # touched or copied, not changed (racy files are many after a copy of content/)
            table[name] = (st, kind, fm, digest)
            continue
        if kind != "document":
            raise NotQuick(f"{name} is not a document")
        record, problems = load_file(root, Path(name), kind, fm, snap.max_bytes)
        if record is None or problems:
            raise NotQuick(f"{name} has problems")
        table[name] = (st, kind, fm, record.source_hash)
        edited.append(record)
    return edited, table, now


def _validate(snap: Snapshot, edited: list[Any]) -> tuple[Diagnostics, set[str]]:
    """Put the edited documents in the site and check them; the new diagnostics of the site.

    The privacy scan of the edited documents replaces its previous findings for them; after a
    change of a title (`DISPLAY_FIELDS`), the rules that quote titles run again over the site;
    every other finding is the previous build's. Also returns the documents whose title,
    summary or keywords changed.
    """
    from ..rules.emptiness import empty_body_finding
    from ..rules.personal_data import document_findings
    from ..validate.convert import build_model

    site = snap.site
    paths = set()
    display: set[str] = set()
    for record in edited:
        old = site.documents.get(record.id)
        if old is None or old.path != record.path:
            raise NotQuick("a document moved")
        model, problems = build_model(Document, record)
        if model is None or problems:
            raise NotQuick(f"{record.path}: front matter has problems")
        changed = {name for name in Document.model_fields if getattr(model, name) != getattr(old.model, name)}
        if not changed <= DISPLAY_FIELDS:
            raise NotQuick(f"{record.path}: {', '.join(sorted(changed - DISPLAY_FIELDS))} changed")
        if snap.marks.get(record.id) != (record.marks.to_bytes(), record.body_line):
            raise NotQuick(f"{record.path}: front matter moved")
        if changed:
            display.add(record.id)
        site.documents[record.id] = Entry(record.id, record.path, model, record.marks, record.body, record.body_line,
                                          record.source_hash)
        paths.add(record.path)
    again = TITLE_RULES if display else {}
    diags = Diagnostics()
    for d in snap.diagnostics:
        if d.code in again:
            continue
        if d.path in paths:
            if d.code in BODY_RULES:
                continue  # scanned again below
            if not d.code.startswith(FRONT_MATTER_RULES):  # e.g. a loader warning about the old bytes
                raise NotQuick(f"{d.path}: {d.code}")
        diags.add(d)
    for record in edited:
        diags.extend(document_findings(site, site.documents[record.id]))
        diags.extend(empty_body_finding(site.documents[record.id]))
    if again:
        from ..rules import consistency

        marked = with_marks(site, snap.marks)
        for name in again.values():
            diags.extend(getattr(consistency, name)(marked))
    if diags.errors:
        raise NotQuick("errors")
    return diags, display


def _rebuild(options: BuildOptions, cache: BuildCache, today: date, snap: Snapshot, delta: Delta, writer: SiteWriter,
             linker: Linker, edited: list[Any], display: set[str], files: dict[str, Any], clock_ns: int,
             diags: Diagnostics, timings: dict[str, float], lap: Any) -> BuildResult:
    from ..options import BuildResult, report_timings

    work = Remake(options, cache, snap, delta, edited, display)
    renderer = work.prepare()
    lap("bodies")
    work.pages(renderer)
    lap("render")
    work.open_data(renderer)
    lap("reach")
    work.search(renderer)
    lap("index")
    _check_static(snap.site, snap, delta)
    manifest = work.swap(writer, linker)
    lap("write")
    work.remember(manifest, files, clock_ns, diags)
    _stamp(options, cache, today, snap, delta, files, clock_ns, diags)
    lap("cache")
    stats: dict[str, Any] = {"quick": 1, "rendered": len(work.made), "edited": len(edited),
                             "search_patched": cache.stats.get("search_patched", 0),
                             "prints": snap.print_count}  # as a full build counts them
    report_timings(options.timings, timings, stats)
    return BuildResult(True, diags, pages=snap.page_count, files=len(manifest), timings=timings,
                       attributes=dict(snap.attributes), stats=stats)


def _check_static(site: Any, snap: Snapshot, delta: Delta) -> None:
    """The files every full build copies (assets, attachments) must be unchanged."""
    from ..statics import static_files

    for rel, source in static_files(site):
        known = snap.static.get(rel)
        if known is None or known[0] != str(source) or rel not in snap.manifest:
            raise NotQuick(f"{rel}: a new static file")
        st = stat_of(str(source))
        if st is None:
            raise NotQuick(f"{rel}: not a regular file")
        if st != known[1] or max(st[1], st[3]) >= snap.clock - RACY_MARGIN_NS:
            if hashlib.sha256(source.read_bytes()).hexdigest() != snap.manifest[rel]:
                raise NotQuick(f"{rel} changed")  # attachments are checked by the full build
            delta.static[rel] = (str(source), st)


def _unchanged(options: BuildOptions, cache: BuildCache, today: date, snap: Snapshot, delta: Delta,
               files: dict[str, Any], clock_ns: int, diags: Diagnostics, timings: dict[str, float]) -> BuildResult:
    """No content changed: `site/` stays as it is, once it is checked to be the snapshot's."""
    from ..options import BuildResult, report_timings

    _check_static(snap.site, snap, delta)
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
    save_delta(cache, delta, lambda: applied(snap, delta))
    _stamp(options, cache, today, snap, delta, files, clock_ns, diags)
    stats: dict[str, Any] = {"quick": 1, "rendered": 0, "edited": 0, "prints": snap.print_count}
    report_timings(options.timings, timings, stats)
    return BuildResult(True, diags, pages=snap.page_count, files=len(snap.manifest), timings=timings,
                       attributes=dict(snap.attributes), stats=stats)


def _stamp(options: BuildOptions, cache: BuildCache, today: date, snap: Snapshot, delta: Delta,
           files: dict[str, Any], clock_ns: int, diags: Diagnostics) -> None:
    """The build's stamp (`stamp.py`), from the snapshot as this rebuild leaves it."""
    state = apply(snap, delta)  # in place, and again if `save_delta` did (the delta holds all changes since)
    copied = [(rel, source, state.manifest.get(rel, "")) for rel, (source, _) in state.static.items()]
    if any(not digest for _, _, digest in copied):
        forget_stamp(cache)
        return
    save_stamp(cache, options, today, clock_ns, state.listed, files, copied, state.stats, diags.sorted(),
               (state.page_count, len(state.manifest), state.attributes, state.print_count))


__all__ = ["NotQuick", "quick_build"]
