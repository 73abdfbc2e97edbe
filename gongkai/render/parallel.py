"""Render on every core, and only what changed: process pools over bodies, pages and search.

Two forked pools, so workers inherit the validated site, compiled templates and shared listings
instead of receiving them by pickling:

1. `convert_bodies`: every public Markdown body → (HTML, plain text), once per build, taken from
   the cache when the body is unchanged. The parent stores the results in `site.derived`, where
   the document pages, summaries, feeds, search and reports all find them.
2. `render_outputs`: page chunks and the search index as tasks of one pool. The search task
   goes first, so one core builds the index while the others render pages. Each page is a task
   of the build engine (`engine.py`): a page that is green (what it read last time is unchanged,
   and `site/` still holds what it made then) is hard-linked from the previous `site/` without
   computing anything; the others are rendered while the engine records what they read.
   Workers write into the writer's temp folder and return only (path, digest, reads).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache import BuildCache, Output
from ..engine import Digests, Memo, digest_of, global_digest, recording
from ..loading import RawContent
from ..models import Attribute
from ..output import MARKER, SiteWriter
from ..pool import fork_map, pool_jobs
from . import Page, Renderer
from .markup import plain_text, render_markdown

_STATE: dict[str, Any] = {}
PARALLEL_MIN_PAGES = 400
CHUNK = 100
BODY_CHUNK = 200
SEARCH = "search"
SEARCH_HEAD = "search-head"  # the first half of a clean build's term counting (see _count_head)
HEAD_WAIT_S = 600.0  # the search task waits this long for the head, then counts it itself
PAGE_NICENESS = 4

Progress = Callable[[str, int, int], None]
Result = tuple[str, str | None, str]  # path, key (None: not cacheable), sha256


# -- 1. bodies ---------------------------------------------------------------------------------


def _convert(items: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    out = []
    for digest, body in items:
        html = render_markdown(body)
        out.append((digest, html, plain_text(html)))
    return out


def body_digest(body: str) -> str:
    """The key of a body's conversion (in `site.converted`, the bodies cache, `render_markdown`)."""
    return hashlib.sha1(body.encode("utf-8")).hexdigest()


def active_bodies(raw: RawContent, known: Mapping[str, Any]) -> dict[str, str]:
    """Digest → Markdown of every body a validated site will show (主动公开 documents, read
    from the raw records before validation) that the bodies cache (`known`) does not hold. A
    record whose attribute is not written exactly `主动公开` is left out (if validation accepts
    it after all, its body is converted later, where it is read)."""
    out: dict[str, str] = {}
    for record in raw.records:
        shown = record.kind == "document" and isinstance(record.data, dict) and record.data.get("attribute") == "主动公开"
        if shown and record.body.strip():
            digest = body_digest(record.body)
            if digest not in known:
                out[digest] = record.body
    return out


def convert_texts(texts: Mapping[str, str], jobs: int) -> dict[str, tuple[str, str]]:
    """Digest → (HTML, plain text) of each Markdown text, on every core."""
    todo = sorted(texts.items())
    jobs = pool_jobs(jobs)
    fresh: list[tuple[str, str, str]] = []
    if jobs > 1 and len(todo) >= PARALLEL_MIN_PAGES:
        chunks = [todo[i : i + BODY_CHUNK] for i in range(0, len(todo), BODY_CHUNK)]
        for part in fork_map(_convert, chunks, jobs):
            fresh.extend(part)
    else:
        fresh = _convert(todo)
    return {digest: (html, text) for digest, html, text in fresh}


def convert_bodies(renderer: Renderer, cache: BuildCache, jobs: int, known: dict[str, tuple[str, str]] | None = None,
                   converted: Mapping[str, tuple[str, str]] | None = None) -> None:
    """Fill `site.derived` with the HTML and text of every 主动公开 body (the only ones shown).

    `known`: the bodies cache as read already; `converted`: bodies converted earlier in this
    build (`convert_texts`, before validation)."""
    site = renderer.site
    if known is None:
        known = cache.read("bodies") or {}
    converted = converted or {}
    wanted: dict[str, str] = {}
    doc_digest: dict[str, str] = {}
    for doc_id, entry in site.public_documents.items():
        if entry.model.attribute is not Attribute.ACTIVE:
            continue
        digest = body_digest(entry.body)
        doc_digest[doc_id] = digest
        if digest not in known:
            wanted[digest] = entry.body
    fresh = [(d, *converted[d]) for d in sorted(wanted) if d in converted]
    fresh += [(d, html, text) for d, (html, text) in convert_texts({d: b for d, b in wanted.items() if d not in converted},
                                                                  jobs).items()]
    current = {d: known[d] for d in doc_digest.values() if d in known}
    current.update((d, (html, text)) for d, html, text in fresh)
    for doc_id, digest in doc_digest.items():
        html, text = current[digest]
        site.derived[("html", doc_id)] = html
        site.derived[("text", doc_id)] = text
    cache.stats["bodies_cached"] = len(doc_digest) - len(fresh)
    cache.stats["bodies_converted"] = len(fresh)
    if fresh or len(current) != len(known):
        cache.write("bodies", current)


# -- 2. pages and search ------------------------------------------------------------------------


def _reuse(writer: SiteWriter, rel: str, old_site: Path) -> bool:
    target = writer.path_for(rel)
    try:
        os.link(old_site / rel, target)
    except OSError:
        try:
            target.write_bytes((old_site / rel).read_bytes())
        except OSError:
            return False
    return True


@dataclass
class Outcome:
    """What `render_outputs` produced, for the writer's manifest, the cache and the timings."""

    keyed: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (key, sha256)
    search_files: list[str] = field(default_factory=list)
    index_s: float = 0.0
    search_reused: int = 0  # search files kept from the previous build
    search_state: Any = None  # (index state, {search file: digest}, shards patched or -1, start, end)
    head_spans: list[tuple[float, float]] = field(default_factory=list)  # (start, end) of head tasks
    pages: int = 0
    reused: int = 0
    deps: dict[str, tuple[str, ...]] = field(default_factory=dict)  # page -> the engine keys it read
    made: dict[str, str] = field(default_factory=dict)  # page -> sha256


Task = tuple[bool, list[Result], int, float, Any]  # is search, results, reused, seconds, index state


def _yield_to_search() -> None:
    """Page workers run one notch nicer than the search worker and the main process.

    The search index is one long task (the critical path of a clean build); pages and prints
    have slack. Without this the index gets a third of the CPU while three processes share two
    cores, and finishes alone at the end with a core idle. Only forked workers do this: the main
    process (serial builds, `gongkai serve`) keeps its priority.
    """
    if _STATE.get("parent") not in (None, os.getpid()) and not _STATE.get("niced"):
        _STATE["niced"] = True
        try:
            os.nice(PAGE_NICENESS)
        except (OSError, AttributeError):
            pass


@contextmanager
def _yielding_to_workers() -> Iterator[None]:
    """While the pool runs, the main process (feeds, open data, collecting results) is as nice as
    the page workers: with one worker per core, it would otherwise take a third of the CPU from
    the search index's tasks, the longest chain of the build. Restored afterwards where the
    system allows it (raising priority back may need privileges; then the rest of the build,
    the swap of `site/` and writing the cache, simply runs nicer)."""
    try:
        before = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, 0, min(19, before + PAGE_NICENESS))
    except (OSError, AttributeError):
        yield
        return
    try:
        yield
    finally:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, before)
        except OSError:
            pass


def _render_pages(pages: list[Page]) -> Task:
    _yield_to_search()
    renderer: Renderer = _STATE["renderer"]
    writer: SiteWriter = _STATE["writer"]
    previous: dict[str, Output] = _STATE["previous"] or {}
    green: dict[str, tuple[str, tuple[int, ...]]] = _STATE["green"]
    out: list[Any] = []
    reused = 0
    for page in pages:
        known = green.get(page.path)
        old = previous.get(page.path)
        if known is not None and old is not None and old[1] == known[0] and _reuse(writer, page.path, writer.out):
            out.append((page.path, ENGINE_KEY, old[1], known[1]))
            reused += 1
            continue
        with recording() as reads:  # what this page reads of the model (engine.py)
            data = renderer.render(page)
        sha = hashlib.sha256(data).hexdigest()
        if old is None or old[1] != sha or not _reuse(writer, page.path, writer.out):  # the same bytes: linked
            writer.path_for(page.path).write_bytes(data)
        out.append((page.path, ENGINE_KEY, sha, tuple(sorted(reads))))
    return False, out, reused, 0.0, None


ENGINE_KEY = "engine"  # pages are reused by the engine's memo, not by a key of their own


@dataclass
class Tasks:
    """The engine's view of this build's outputs: the memo of the last one, the digests of what
    tasks read now, and which tasks are green (path → (digest of the file then, what it read))."""

    memo: Memo
    digests: Digests
    descriptions: dict[str, str] = field(default_factory=dict)
    green: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)  # reads: positions in the memo's keys
    done: dict[str, tuple[str, str, tuple[Any, ...]]] = field(default_factory=dict)  # path -> (desc, sha256, reads)

    @classmethod
    def start(cls, renderer: Renderer, cache: BuildCache, outputs: list[tuple[str, Any]]) -> Tasks:
        """`outputs`: (path, what describes the task besides what it reads)."""
        start = time.perf_counter()  # reading the memo and checking it: the engine's own cost
        site = renderer.site
        memo = Memo(cache.dir, cache.fp, cache.key)
        if cache.enabled:
            memo.load()
        digests = Digests(site, renderer.cat, global_digest(site, [cache.fp, renderer.base_url, repr(renderer.frame)]), memo)
        tasks = cls(memo, digests, {path: digest_of(what) for path, what in outputs})
        for path in memo.green(digests, tasks.descriptions):
            _, sha, reads = memo.tasks[path]
            tasks.green[path] = (sha, reads)
        cache.stats["engine_green"] = len(tasks.green)
        cache.stats["engine_keys"] = len(memo.digests)
        cache.stats["engine_derived_reused"] = digests.derived_reused  # digests of derived values, not made
        cache.stats["engine_verify_s"] = round(time.perf_counter() - start, 4)  # type: ignore[assignment]
        return tasks

    def save(self) -> None:
        self.memo.save(self.digests, self.done)

    def names(self, reads: tuple[Any, ...]) -> tuple[str, ...]:
        """The keys a task read (a reused task's are positions in the memo's keys)."""
        if reads and type(reads[0]) is int:
            keys = self.memo.keys
            return tuple(keys[i] for i in reads)
        return reads


SEARCH_KEY = "search-index"  # search files are reused by the index's own state, not by a key


def _build_search() -> Task:
    """The search files: shards patched where documents changed, the rest reused.

    The index's state (saved by the previous build with the digest of every search file) is
    trusted for a file only if the previous `site/` still holds that very file (same digest,
    untouched since): otherwise the index is built from scratch. See `search.build_index`.
    """
    from ..search import build_index
    from ..search.textstore import TextStore

    start = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process (the index's span)
    writer: SiteWriter = _STATE["writer"]
    previous: dict[str, Output] = _STATE["previous"] or {}
    saved = _STATE["search_index"]
    state, digests = saved if saved else (None, {})
    store = TextStore(_STATE["cache_dir"] / "search-texts.sqlite") if _STATE["cache_dir"] else None
    records = _STATE["records"]

    def verified(rel: str) -> bool:
        return rel in previous and rel in digests and previous[rel][1] == digests[rel]

    def read_shard(rel: str) -> bytes | None:
        try:
            return (writer.out / rel).read_bytes() if verified(rel) else None
        except OSError:
            return None

    head_file: Path | None = _STATE.get("head_file")
    if head_file is not None:  # a clean build: the first half is counted by the head task
        build = build_index(records, head=lambda: _wait_for_head(head_file))  # the head fills the store
    else:
        build = build_index(records, previous=state, read_shard=read_shard, store=store)
    out: list[Result] = []
    if build.reused and not all(verified(rel) and _reuse(writer, rel, writer.out) for rel in build.reused):
        build = build_index(records, store=store)  # a file to keep is gone: start afresh
    for rel in build.reused:
        out.append((rel, SEARCH_KEY, previous[rel][1]))
    for rel, data in build.files.items():
        writer.path_for(rel).write_bytes(data)
        out.append((rel, SEARCH_KEY, hashlib.sha256(data).hexdigest()))
    out.sort()
    written = {rel: digest for rel, _, digest in out}
    end = time.monotonic()
    return True, out, len(build.reused), end - start, (build.state, written, build.patched, start, end)


def _count_head() -> Task:
    """Count the first half of the documents for the search task, which counts the rest.

    The result goes through a file (written whole, then renamed into place) rather than this
    pool's result pipe, because the search task needs it while the pool is still running.
    """
    from ..search.index import count_head, store_texts
    from ..search.textstore import TextStore

    start = time.monotonic()
    records = _STATE["records"]
    head = count_head(records)
    target: Path = _STATE["head_file"]
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    with open(tmp, "wb") as f:
        pickle.dump(head, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, target)
    if _STATE["cache_dir"]:  # meanwhile the search task assembles the files
        store_texts(records, TextStore(_STATE["cache_dir"] / "search-texts.sqlite"))
    end = time.monotonic()
    return HEAD_RESULT, [], 0, end - start, (start, end)


def _wait_for_head(path: Path) -> Any:
    """The head task's result, or None (count everything) if it does not come."""
    deadline = time.monotonic() + HEAD_WAIT_S
    delay = 0.005
    while not path.exists():
        if time.monotonic() > deadline:
            return None
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - a broken head only costs counting it again
        return None


HEAD_RESULT = "head"


def _task(task: Any) -> Task:
    if task == SEARCH:
        return _build_search()
    if task == SEARCH_HEAD:
        return _count_head()
    return _render_pages(task)


def render_outputs(
    renderer: Renderer, pages: list[Page], writer: SiteWriter, cache: BuildCache, jobs: int, progress: Progress,
    tasks: Tasks, alongside: Callable[[], None] | None = None,
) -> Outcome:
    """Render every page and build the search files into `writer`, reusing what is unchanged.

    `alongside` runs in this process while the workers render (feeds, open data: work that
    needs the whole site but none of the pages). Notice-board prints are ordinary pages here.
    """
    previous = cache.previous_outputs(writer.out, MARKER) if cache.enabled else None
    saved_search = cache.read("search_index") if cache.enabled else None
    # Warm shared listings before forking so workers inherit them instead of recomputing.
    cat = renderer.cat
    cat.summaries, cat.item_status, cat.town_wide, cat.by_kind, cat.by_year, renderer.site.index_numbers  # noqa: B018
    # The search records too (cheap here, where the site is warm; in a worker, first touching
    # the inherited objects costs four times as much). Added to the index's time below.
    from ..indexing import search_records

    records_start = time.monotonic()
    _STATE["records"] = search_records(renderer.site, cat)
    records_end = time.monotonic()
    for page in pages:  # create directories once, in the parent
        writer.path_for(page.path)
    _STATE.update(renderer=renderer, writer=writer, previous=previous, green=tasks.green, search_index=saved_search,
                  cache_dir=cache.dir, parent=os.getpid())
    jobs = pool_jobs(jobs)
    parallel = jobs > 1 and len(pages) >= PARALLEL_MIN_PAGES
    search: list[Any] = [SEARCH]
    scratch = None
    if parallel and not saved_search:  # nothing to patch: split the counting over two workers
        scratch = Path(tempfile.mkdtemp(prefix="gongkai-index-"))
        _STATE["head_file"] = scratch / "head.pickle"
        search = [SEARCH_HEAD, SEARCH]  # claimed first, in this order, by different workers
    tasks: list[Any] = search + [pages[i : i + CHUNK] for i in range(0, len(pages), CHUNK)]
    outcome = Outcome()
    try:
        if parallel:
            claimed = lambda n: progress("render", min(max(n - 1, 0) * CHUNK, len(pages)), len(pages))
            with _yielding_to_workers():
                _collect(fork_map(_task, tasks, jobs, alongside, claimed), writer, outcome, len(pages), None)
            progress("render", len(pages), len(pages))
        else:
            if alongside is not None:
                alongside()
            _collect(map(_task, tasks), writer, outcome, len(pages), progress)
    finally:
        _STATE.clear()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    cache.stats["reused"] = outcome.reused
    cache.stats["rendered"] = outcome.pages - outcome.reused
    if outcome.search_state is not None:
        cache.stats["search_patched"] = outcome.search_state[2]
        cache.write("search_index", outcome.search_state[:2])
        # The index's span of the build: from the first of its tasks starting to the last ending.
        spans = [outcome.search_state[3:5]] + outcome.head_spans
        records_s = records_end - records_start
        outcome.index_s = records_s + max(e for _, e in spans) - min(b for b, _ in spans)
        cache.stats["index_cpu_s"] = round(records_s + sum(e - b for b, e in spans), 4)
        cache.stats["index_tasks"] = len(spans)
    return outcome


def _collect(results: Any, writer: SiteWriter, outcome: Outcome, total: int, progress: Progress | None) -> None:
    for is_search, out, reused, seconds, extra in results:
        if is_search == HEAD_RESULT:
            outcome.head_spans.append(extra)
            continue
        for rel, key, digest, *deps in out:
            writer.record(rel, digest)
            if key is not None:
                outcome.keyed[rel] = (key, digest)
            if deps:
                outcome.deps[rel] = deps[0]
                outcome.made[rel] = digest
        if is_search:
            outcome.search_files = [rel for rel, _, _ in out]
            outcome.index_s = seconds
            outcome.search_reused = reused
            outcome.search_state = extra
            continue
        outcome.pages += len(out)
        outcome.reused += reused
        if progress is not None:
            progress("render", outcome.pages, total)


def reuse_or_make(tasks: Tasks, writer: SiteWriter, previous: dict[str, Output], rel: str,
                  make: Callable[[], bytes]) -> tuple[str, tuple[str, ...]]:
    """One task made in this process (a feed): linked when green, else made while recording.
    Returns the file's sha256 and what it read."""
    known = tasks.green.get(rel)
    old = previous.get(rel)
    if known is not None and old is not None and old[1] == known[0] and _reuse(writer, rel, writer.out):
        writer.record(rel, old[1])
        return old[1], known[1]
    with recording() as reads:
        data = make()
    sha = hashlib.sha256(data).hexdigest()
    if old is not None and old[1] == sha and _reuse(writer, rel, writer.out):  # the same bytes: linked
        writer.record(rel, sha)
    else:
        writer.write(rel, data)
    return sha, tuple(sorted(reads))


__all__ = ["ENGINE_KEY", "Outcome", "Tasks", "active_bodies", "body_digest", "convert_bodies", "convert_texts", "render_outputs", "reuse_or_make"]
