"""Render pages on every core: a process pool over page chunks.

Workers are forked after the `Renderer` exists, so they inherit the validated site, compiled
templates and shared listings instead of receiving them by pickling; each worker writes its
pages straight into the writer's temp folder and returns only (path, sha256).
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
from collections.abc import Callable

from ..output import SiteWriter
from . import Page, Renderer

_STATE: dict[str, object] = {}
PARALLEL_MIN_PAGES = 400
CHUNK = 200


def _render_chunk(pages: list[Page]) -> list[tuple[str, str]]:
    renderer: Renderer = _STATE["renderer"]  # type: ignore[assignment]
    writer: SiteWriter = _STATE["writer"]  # type: ignore[assignment]
    out = []
    for page in pages:
        data = renderer.render(page)
        writer.path_for(page.path).write_bytes(data)
        out.append((page.path, hashlib.sha256(data).hexdigest()))
    return out


def render_pages(renderer: Renderer, pages: list[Page], writer: SiteWriter, jobs: int, progress: Callable[[str, int, int], None]) -> None:
    jobs = jobs or os.cpu_count() or 1
    total = len(pages)
    fork_ok = "fork" in mp.get_all_start_methods()
    if jobs <= 1 or total < PARALLEL_MIN_PAGES or not fork_ok:
        for n, page in enumerate(pages, start=1):
            writer.write(page.path, renderer.render(page))
            if n % 100 == 0 or n == total:
                progress("render", n, total)
        return
    # Warm shared listings before forking so workers inherit them instead of recomputing.
    renderer.cat.summaries, renderer.cat.item_status, renderer.site.index_numbers  # noqa: B018
    for page in pages:  # create directories once, in the parent
        writer.path_for(page.path)
    _STATE.update(renderer=renderer, writer=writer)
    chunks = [pages[i : i + CHUNK] for i in range(0, total, CHUNK)]
    done = 0
    ctx = mp.get_context("fork")
    try:
        with ctx.Pool(jobs) as pool:
            for result in pool.imap_unordered(_render_chunk, chunks):
                for rel, digest in result:
                    writer.record(rel, digest)
                done += len(result)
                progress("render", done, total)
    finally:
        _STATE.clear()
