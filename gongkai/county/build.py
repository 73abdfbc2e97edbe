"""`build_county()`: every township into its section, then the county's pages, feed, data, search.

Order: read county.yaml → find the townships whose inputs changed → if more than one changed,
load and validate all of them first (every error of every township at once, nothing written if
any) → build each changed township into `<slug>/` (the township build, atomic per section) →
county index, pages and files, each written atomically. A township whose build fails keeps its
previous section and the county pages are not touched.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..cachedir import KEY_FILE, machine_key
from ..diagnostics import Diagnostics
from ..models.county import Portal
from ..options import BuildOptions, BuildResult, Progress, report_timings
from ..output import MARKER
from ..treewalk import Prefetch
from .config import CountyConfig, load_county
from .pages import county_pages, county_script
from .search import (
    county_index,
    filter_options,
    forget_state,
    load_state,
    patch_county_index,
    save_state,
    state_store,
)
from .sections import (
    Section,
    SectionState,
    TownSummary,
    after_quick,
    code_key,
    doc_stats,
    precheck,
    section_key,
    summarise_site,
    town_options,
    town_records,
)

ROOT_FILES = "root-files.txt"  # in the county cache: the files the county wrote at the site root
ROOT_PAGES = "root-pages.txt"  # those of them that are not search files (written with ROOT_FILES)


def _noop(stage: str, done: int, total: int) -> None:
    pass


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.read_bytes() == data:
            return  # unchanged: keep the file (and its time stamp)
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build_county(root: Path, options: BuildOptions, cache_base: Path | None, progress: Progress = _noop,
                 portal: Portal | None = None, listings: Prefetch | None = None) -> BuildResult:
    """Build the county in `root` into `options.output`. `cache_base`: the county's cache folder
    (each township's cache is under it), None for no cache. `portal` (`--portal`) replaces the
    portal of county.yaml. `listings`: the townships' file listings, started early (`gongkai
    build` starts them before it imports this module)."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 4)
        clock = now

    diags = Diagnostics()
    config, found = load_county(root)
    diags.extend(found)
    if config is None:
        return BuildResult(False, diags, timings=timings)
    if portal is not None:
        config = replace(config, county=config.county.model_copy(update={"portal": portal}))
    today = options.today
    out = options.output
    out.mkdir(parents=True, exist_ok=True)
    if (out / MARKER).is_file():  # a township's own site: never mix the two
        from ..diagnostics import error

        diags.add(error(out.as_posix(), 1, 1, "输出目录是一个乡镇网站，不能生成县级专区到这里",
                        "请用 --out 指定新的输出目录", "county.output"))
        return BuildResult(False, diags, timings=timings)
    # the machine key sealing the county's pickles (as the township cache: default machine.key in the folder)
    seal_key = machine_key(options.cache_key or cache_base / KEY_FILE) if cache_base is not None else None
    state = SectionState(cache_base / "county" if cache_base is not None else None, seal_key)
    plans: dict[str, tuple[BuildOptions, str]] = {}
    sections: dict[str, Section] = {}
    code = code_key(options)
    digests = listings.digests() if listings is not None else {}
    for slug in config.towns:
        opts = town_options(config, slug, options, cache_base)
        key = section_key(config, slug, opts, today, code, digests.get(slug))
        kept = state.kept(slug, key, out)
        if kept is not None:
            sections[slug] = kept
        else:
            plans[slug] = (opts, key)
    lap("plan")
    if len(plans) > 1:  # several townships to build: all valid before any is written
        failed = False
        for i, (slug, (opts, _)) in enumerate(plans.items()):
            progress("检查乡镇", i, len(plans))
            found = precheck(opts, today)
            diags.extend(found.items)
            failed = failed or bool(found.errors)
        lap("precheck")
        if failed:
            return BuildResult(False, diags, timings=timings)
    county_cache = cache_base / "county" if cache_base is not None else None
    index_store = state_store(county_cache, seal_key)
    saved = load_state(index_store)  # the county index of the last build (read before it is forgotten)
    if plans:  # that state is valid for the records it indexed: a build stopped halfway must not patch it
        forget_state(index_store)
    records: dict[str, list[Any]] = {}
    changed: list[Any] = []  # records changed by quick rebuilds
    pages = files = quick = 0
    for i, (slug, (opts, key)) in enumerate(plans.items()):
        progress("生成乡镇", i, len(plans))
        stats_now = doc_stats(opts.content)  # before the build reads the files
        previous = state.records_and_stats(slug)
        old = state.data.get(slug)
        if previous is None or old is None:
            opts = replace(opts, quick=False)  # the county needs the site of a full build
        got: dict[str, Any] = {}

        def take(site: Any, cat: Any, slug: str = slug, got: dict[str, Any] = got) -> None:
            got["summary"] = summarise_site(slug, site, cat)
            got["records"] = town_records(slug, site, cat)

        from ..build import build

        result = build(replace(opts, on_site=take))
        if result.ok and "summary" not in got and previous is not None and old is not None:  # a quick rebuild
            summary = TownSummary(**old["summary"])
            refreshed = after_quick(slug, opts.content, previous[0], summary, previous[1], stats_now)
            if refreshed is None:  # cannot follow it: build the township fully
                result = build(replace(opts, on_site=take, quick=False))
            else:
                got["summary"], got["records"] = summary, refreshed[0]
                changed += refreshed[1]
                quick += 1
        seen = set(diags.items)  # after a precheck: only what the build itself added
        diags.extend([d for d in result.diagnostics.items if d not in seen])
        if not result.ok or "summary" not in got:
            return BuildResult(False, diags, timings=timings)
        summary = got["summary"]
        summary.warnings = len(result.diagnostics.warnings)
        summary.codes = {}
        for d in result.diagnostics.warnings:
            summary.codes[d.code] = summary.codes.get(d.code, 0) + 1
        summary.attributes = dict(result.attributes) or summary.attributes
        section = Section(slug, summary, list(result.diagnostics.items), True, result.timings)
        sections[slug] = section
        records[slug] = got["records"]
        state.save(section, key, got["records"], stats_now)
        pages += result.pages
        files += result.files
    for slug, section in sections.items():
        if not section.rebuilt:
            diags.extend(section.diagnostics)  # a kept township's findings are still findings
    lap("towns")
    patched = patch_county_index(changed, out, county_cache, saved) if quick == len(plans) else None
    if patched is not None:  # only quick rebuilds: the other townships' records are not even read
        index, written = patched
        filters = index.state.filters if index.state is not None else {}
    else:
        unreadable = []
        for slug in config.towns:
            if slug not in records:
                kept_records = state.records(slug)
                if kept_records is None:
                    unreadable.append(slug)
                records[slug] = kept_records or []
        if unreadable:  # a kept township's records are damaged: build it again (the others are kept now)
            for slug in unreadable:
                state.drop_records(slug)
            return build_county(root, options, cache_base, progress, portal)  # listings: made afresh
        every = [r for slug in config.towns for r in records[slug]]
        index, written = county_index(every, out, county_cache, saved)
        filters = filter_options(every)
    lap("search")
    summaries = [sections[slug].summary for slug in config.towns]
    base_url = options.base_url or config.county.base_url
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    made = county_pages(config, summaries, today, options.templates, base_url, filters,
                        county_cache / "jinja" if county_cache is not None else None, seal_key)
    made.update(index.files)
    # the county's assets: the ones every section has (our CSS/JS)
    first = out / config.towns[0] / "assets"
    for asset in sorted(first.iterdir()) if first.is_dir() else []:
        if asset.is_file():
            made[f"assets/{asset.name}"] = asset.read_bytes()
    made["assets/county.js"] = county_script(options.templates)  # the county search page's own script
    for rel, data in sorted(made.items()):
        write_atomic(out / rel, data)
    root_pages = set(made).difference(written)  # the county's own pages, data and assets
    same_files = (patched is not None and not index.removed and all(rel in saved[1] for rel in index.files)
                  and _read_root_files(county_cache, ROOT_PAGES) == root_pages)
    if not same_files:  # (a patch that adds or removes no file leaves the lists as they are)
        keep = set(made) | set(written)
        previous = _read_root_files(county_cache, ROOT_FILES)
        for rel in sorted(previous - keep):  # search shards and data no longer made
            try:
                (out / rel).unlink()
            except OSError:
                pass
        if keep != previous:  # thousands of search files at full size: rewritten only when the set changes
            _write_root_files(county_cache, ROOT_FILES, keep)
        _write_root_files(county_cache, ROOT_PAGES, root_pages)
    save_state(index_store, index, written, saved)
    _remove_old_sections(out, config)
    lap("county")
    stats = {"towns_built": len(plans), "towns_quick": quick, "towns_kept": len(config.towns) - len(plans),
             "search_patched": index.patched, "search_reused": len(index.reused),
             "search_from_state": int(patched is not None)}
    report_timings(options.timings, timings, stats)  # --timings file (benchmarks): the county's, after the townships'
    attributes: dict[str, int] = {}
    for s in summaries:
        for k, n in s.attributes.items():
            attributes[k] = attributes.get(k, 0) + n
    return BuildResult(True, diags, pages=pages, files=files + len(made), timings=timings, attributes=attributes, stats=stats)


def _read_root_files(cache: Path | None, name: str) -> set[str]:
    if cache is None:
        return set()
    try:
        return set((cache / name).read_text(encoding="utf-8").split("\n")) - {""}
    except OSError:
        return set()


def _write_root_files(cache: Path | None, name: str, files: set[str]) -> None:
    if cache is None:
        return
    cache.mkdir(parents=True, exist_ok=True)
    (cache / name).write_text("\n".join(sorted(files)) + "\n", encoding="utf-8")


def _remove_old_sections(out: Path, config: CountyConfig) -> None:
    """A township removed from the county: its section goes (only folders a build made)."""
    for child in out.iterdir():
        if child.is_dir() and child.name not in config.towns and (child / MARKER).is_file():
            shutil.rmtree(child, ignore_errors=True)
