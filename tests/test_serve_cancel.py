"""A cancelled build in `gongkai serve`'s build worker: SIGTERM in the middle of real work.

The worker (`serve/builder.py`) unwinds the build (`Cancelled`), so the atomic writer removes
its temp folder at once and `site/` is the last good build's, file for file; the server side
sees `BuildCancelled`, and the next request starts a fresh worker that builds normally.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sitekit import TODAY

from gongkai.build import BuildOptions
from gongkai.serve.builder import BuildCancelled, BuildProcess

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_sigterm_during_a_build_unwinds_it_and_leaves_site_as_it_was(tmp_path: Path) -> None:
    content = tmp_path / "content"
    generate(content, 300)
    site = tmp_path / "site"
    options = BuildOptions(content=content, output=site, templates=REPO / "templates", today=TODAY, jobs=1,
                           project=REPO, cache=tmp_path / "cache", fsync=False)
    worker = BuildProcess()
    try:
        assert worker(options).ok
        before = tree(site)
        (content / "documents" / "edited.md").write_text(
            (next((content / "documents").rglob("*.md"))).read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1),
            encoding="utf-8")
        stages: list[str] = []
        cancelled = threading.Event()

        def progress(stage: str, done: int, total: int) -> None:
            stages.append(stage)
            if stage == "render" and not cancelled.is_set():
                cancelled.set()
                assert worker.cancel()

        with pytest.raises(BuildCancelled):
            worker(replace(options, incremental=False), progress)  # every page rendered: time to cancel
        assert cancelled.is_set() and "render" in stages
        assert not list(tmp_path.glob(".site.tmp-*")), "the cancelled build's temp folder is left"
        assert tree(site) == before
        assert worker(options).ok  # a fresh worker
        assert "改过的" in (site / "documents" / "edited.html").read_text(encoding="utf-8")
    finally:
        worker.close()
