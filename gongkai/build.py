"""`build()`: the pipeline as a short list of named stages, each timed.

load → validate → render → index → write. Nothing is written until the whole model is valid;
the writer swaps the new site into place atomically, so a failed build leaves `site/` as it was.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from .capabilities import Capabilities, fallback_notes
from .diagnostics import warning
from .options import BuildOptions, BuildResult, Progress, report_timings
from .output import MARKER, SiteWriter
from .statics import ASSETS, copy_static, static_files


def _noop(stage: str, done: int, total: int) -> None:
    pass


def build(options: BuildOptions, progress: Progress = _noop) -> BuildResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    progress("load", 0, 0)  # from the first moment: staff see that something runs (stage starts: total 0)

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(timings.get(name, 0.0) + now - clock, 4)  # "bodies" is timed in two parts
        clock = now

    from .cache import BuildCache, default_root, fingerprint
    from .cachedir import file_clock, machine_key, tracked_by_git
    from .resources import template_dirs
    from .stamp import Looked, stamp_build, unchanged

    # No environment here: the CLI resolves $GONGKAI_CACHE_DIR / $GONGKAI_NO_CACHE into `options`.
    root = (options.cache or default_root(options.content, {}, Path.home())) if options.incremental else None
    untrusted = root if root is not None and tracked_by_git(root) else None
    if untrusted is not None:  # committed (or planted by a pull request): never read, never written
        root = None
    key = machine_key(options.cache_key) if root is not None and options.cache_key is not None else None
    cache = BuildCache(root, options.content, options.output, fingerprint(template_dirs(options.templates)), key)
    today = options.today
    looked = Looked(file_clock(cache.dir))  # the clock before any content file is looked at (git's racy rule)
    caps = options.capabilities or Capabilities.detect()
    if cache.enabled and options.quick and options.on_site is None:
        done = unchanged(options, cache, today, looked, caps.fork)  # everything as the last build read it?
        if done is not None:
            return done
    from .quick.snapshot import outputs_after_quick

    cache.after_quick = outputs_after_quick
    jobs = options.jobs if caps.fork else 1  # without fork: one process (`capabilities.py`)
    taken = set() if caps.fork else {"fork"}
    # The quick path links the previous site in a forked process: it needs both.
    if cache.enabled and options.quick and caps.fork and caps.hardlinks:
        # only document bodies edited? then remake just what shows them
        from .quick import quick_build

        quick = quick_build(options, cache, today, looked)
        if quick is not None:
            return quick
    from .loading.cached import load_content as load_cached
    from .validate import validate  # here: a quick rebuild (above) never needs the whole stage

    raw = load_cached(options.content, cache, jobs or os.cpu_count() or 1)
    lap("load")
    from .render.parallel import active_bodies, convert_texts

    # Markdown once per body, on every core, before validation: the privacy scan reads the
    # rendered bodies (`Site.converted`), the pages the same conversions (`convert_bodies`).
    known = cache.read("bodies") or {}
    todo = active_bodies(raw, known)
    progress("bodies", 0, len(raw.of_kind("document")))
    converted = convert_texts(todo, jobs)
    lap("bodies")
    progress("validate", 0, 0)
    # The privacy scan reads every body it checks again as HTML: the cached conversions as well
    # as this build's (a rules memo gone stale — another gongkai, another day — left 46,000
    # bodies to convert again one by one inside validate: 35 s at 50,000 documents).
    html_of = {digest: html for digest, (html, _) in known.items()}
    html_of.update((digest, html) for digest, (html, _) in converted.items())
    site, diags = validate(raw, today, cache, html_of)
    if untrusted is not None:
        diags.add(warning(untrusted.as_posix(), 1, 1, "缓存目录已被 git 跟踪，本次不使用缓存",
                          "缓存不应提交到仓库：请从仓库中删除该目录，或用 --cache 指定仓库外的目录", "build.cache_tracked"))
    lap("validate")
    if site is None or diags.errors:
        return BuildResult(False, diags, timings=timings)

    from .render import Renderer
    from .render.parallel import ENGINE_KEY, Tasks, convert_bodies, render_outputs, reuse_or_make

    base_url = options.base_url or site.town.model.base_url
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    from .reach.prints import (
        base_url_warning,  # the print pages are made here, so the warning is the build's
    )

    no_base = base_url_warning(site, base_url)
    if no_base is not None:
        diags.add(no_base)
    renderer = Renderer(site, options.templates, base_url, cache.dir / "jinja" if cache.dir is not None else None, cache.key,
                        options.frame)
    from .reach import open_data, print_pages, qr
    from .reach.opendata import DOCUMENTS_JSON as opendata_json
    from .reach.opendata import INDEX as opendata_index
    from .reach.opendata import documents_json as opendata_documents
    from .reach.prints import qr_targets

    with SiteWriter(options.output, caps, fsync=options.fsync) as writer:
        pages = renderer.pages()
        prints = print_pages(site)  # notice-board prints: pages like the others, not in the sitemap
        qr.use_store(cache.dir / qr.STORE if cache.dir is not None else None)  # QR codes made by workers
        convert_bodies(renderer, cache, jobs, known, converted)  # the bodies' HTML and text into `site.derived`
        lap("bodies")
        data_keyed: dict[str, tuple[str, str]] = {}

        feed_deps: dict[str, tuple[str, ...]] = {}
        feeds = renderer.feeds()
        # The engine's tasks: every page and print (described by its `Page`) and every feed.
        tasks = Tasks.start(renderer, cache, [(p.path, p) for p in prints + pages] + [(rel, rel) for rel, _ in feeds])
        previous = cache.previous_outputs(writer.out, MARKER) if cache.enabled else {}
        from .engine import hash_lines
        from .fragments import Fragments
        from .published_scan import allowed_numbers

        exempt = hash_lines(sorted(allowed_numbers(site)))  # the numbers the scan lets through
        fragments = Fragments(cache.dir, cache.fp, cache.key, tasks.digests, exempt)
        if cache.enabled:
            fragments.load()

        def alongside() -> None:
            """Feeds and open data, in this process while the workers render pages and search."""
            for rel, make in feeds:
                sha, feed_deps[rel] = reuse_or_make(tasks, writer, previous, rel, make)
                data_keyed[rel] = (ENGINE_KEY, sha)
            for rel, data in renderer.site_files([p.path for p in pages] + [opendata_index]):
                writer.write(rel, data)
            lap("feeds")
            data_keyed.update(open_data(site, renderer, writer, cache, fragments.get))
            lap("reach")

        # Prints first: they are the slowest pages (QR codes), and long tasks first balance best.
        progress("render", 0, len(prints) + len(pages))
        outcome = render_outputs(renderer, prints + pages, writer, cache, jobs, progress, tasks, alongside)
        outcome.keyed.update(data_keyed)
        qr.prune_store(qr_targets(site, base_url))
        if options.on_site is not None:
            options.on_site(site, renderer.cat)
        lap("render")  # what is left of page rendering and the search index once feeds and data are done
        progress("write", 0, 0)
        copy_static(site, writer)
        from .pool import pool_jobs
        from .published_scan import scan_files

        # the files found clean on this day (an ID number counts from its birth date on)
        clean = cache.read("published_scan") if cache.enabled else None
        clean = clean[1] if isinstance(clean, tuple) and len(clean) == 2 and clean[0] == today.isoformat() else None
        # documents.json: its kept rows passed this scan in the build that made them (`fragments.py`)
        parts = {opendata_json: opendata_documents(site, renderer.base_url, fragments.made_only)} if fragments.kept else None
        leaks, passed = scan_files(site, writer.tmp, writer.files.items(), options.output.as_posix(),
                                   clean if isinstance(clean, set) else set(), pool_jobs(jobs), parts)
        lap("scan")
        if leaks:  # a number the rules missed is in what would be published: site/ stays as it was
            diags.extend(leaks)
            return BuildResult(False, diags, timings=timings, stats=dict(cache.stats))
        cache.write("published_scan", (today.isoformat(), passed))
        writer.commit()
        lap("write")
    from .cache import output_stats

    out_stats = output_stats(options.output, writer.files) if cache.enabled else {}
    cache.save_outputs(options.output, MARKER, outcome.keyed, out_stats)
    for rel, reads in (*outcome.deps.items(), *feed_deps.items()):
        tasks.done[rel] = (tasks.descriptions[rel], outcome.keyed[rel][1], reads)
    tasks.save()
    fragments.save()
    from .models import Attribute

    counts = {a.value: 0 for a in Attribute}
    for doc in site.documents.values():
        counts[doc.model.attribute.value] += 1
    from .quick import save_snapshot

    static = static_files(site)
    save_snapshot(cache, options, raw, site, renderer.cat, static,
                  diags.sorted(), {rel: tasks.names(reads) for rel, reads in (*outcome.deps.items(), *feed_deps.items())},
                  prints + pages, list(feed_deps), writer.manifest(), outcome.keyed, counts, len(pages), out_stats,
                  len(prints))
    stamp_build(cache, options, today, raw, static, writer.files, out_stats, diags.sorted(),
                (len(pages), len(writer.files), counts, len(prints)))
    lap("cache")
    stats = {**cache.stats, **fragments.stats, "index_s": round(outcome.index_s, 4), "search_files": len(outcome.search_files),
             "search_reused": outcome.search_reused, "prints": len(prints)}
    report_timings(options.timings, timings, stats)
    return BuildResult(True, diags, pages=len(pages), files=len(writer.files), timings=timings, attributes=counts, stats=stats,
                       fallbacks=fallback_notes(taken | writer.fallbacks))


__all__ = ["ASSETS", "BuildOptions", "BuildResult", "Progress", "build", "copy_static", "report_timings",
           "static_files"]
