"""No long task on the main thread while a query runs, at a few thousand documents.

The Long Tasks API (PerformanceObserver ``longtask``: any task over 50 ms) records in headless
Chromium, its CPU slowed four times as Lighthouse's mobile profile does, while queries are
typed into the search page of a 3,000-document index of the
benchmark's generator: a common term whose candidates are most of the corpus (every block of
its list decoded, thousands of documents scored), a two-word query and a phrase. Loading
shards, decoding, scoring and highlighting are split into tasks (``search.js``), so none is
long; the same page is timed by ``benchmarks/run.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from search_bench import synthetic_records, write_site

from gongkai.search import build_search_files

pytestmark = pytest.mark.browser

RECORD_LONG_TASKS = """
window.__longTasks = [];
window.__watch = false;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (window.__watch) window.__longTasks.push(Math.round(e.duration));
}).observe({ type: "longtask" });
"""


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("longtask-site")
    write_site(root, build_search_files(synthetic_records(3000, body_chars=600)))
    return root


def queries_long_tasks(browser, url: str) -> list[tuple[str, int, list[int]]]:  # type: ignore[no-untyped-def]
    """(query, results, durations of the long tasks while it ran) on a fresh page."""
    page = browser.new_page()
    try:
        page.add_init_script(RECORD_LONG_TASKS)
        # A phone's CPU, as Lighthouse's mobile profile emulates it: four times slower.
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.goto(url)
        page.wait_for_function("window.GongkaiSearch && document.getElementById('search-results').dataset.state")
        page.wait_for_timeout(500)  # page load is over: only the queries' tasks are watched
        seen = []
        for query in QUERIES:
            page.evaluate("window.__watch = true")
            box = page.locator("input[name=q]")
            box.fill(query)
            box.press("Enter")
            page.wait_for_function(
                "(q) => document.getElementById('search-results').dataset.state === 'done'"
                " && window.GongkaiSearch.last && window.GongkaiSearch.last.query === q",
                arg=query, timeout=60_000,
            )
            page.wait_for_timeout(200)  # a long task is reported after it ends
            page.evaluate("window.__watch = false")
            seen.append((query, page.evaluate("window.GongkaiSearch.last.total"), page.evaluate("window.__longTasks.splice(0)")))
        # The observer works: a deliberate 120 ms task is reported.
        page.evaluate("window.__watch = true; setTimeout(() => { const t = performance.now(); while (performance.now() - t < 120) {} }, 0)")
        page.wait_for_timeout(400)
        assert len(page.evaluate("window.__longTasks")) == 1
        return seen
    finally:
        page.close()


QUERIES = ["公示", "社会救助 资金", "最低生活保障审核"]
ATTEMPTS = 5


def test_queries_run_without_long_tasks(browser, big_site: Path, serve_dir: Callable[[Path], str]) -> None:  # type: ignore[no-untyped-def]
    """Up to five fresh pages: the development machine is shared, and another process taking
    the CPU mid-task stretches it past 50 ms; a task that is long by itself is long on every
    attempt (with the work in one task, the common term's query has long tasks every time)."""
    url = serve_dir(big_site) + "search.html"
    attempts = []
    for _ in range(ATTEMPTS):
        seen = queries_long_tasks(browser, url)
        assert seen[0][1] > 1000, seen  # the common term: most documents are candidates
        assert all(total > 0 for _, total, _ in seen), seen
        attempts.append(seen)
        if all(tasks == [] for _, _, tasks in seen):
            return
    pytest.fail(f"long tasks on every attempt: {attempts}")
