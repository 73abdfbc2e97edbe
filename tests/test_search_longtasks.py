"""No long task on the main thread while a query runs, at a few thousand documents.

Queries are submitted on the search page of a 3,000-document index of the benchmark's
generator in headless Chromium: a common term whose candidates are most of the corpus (every
block of its list decoded, thousands of documents scored), a two-word query and a phrase.
Loading shards, decoding, scoring and highlighting are split into tasks (``search.js``), so
none is long; the same page is timed by ``benchmarks/run.py``.

Measured with Chromium's tracing, not the Long Tasks API: each main-thread task's *thread
CPU time* (``tdur`` of its ``RunTask`` event), which another process taking the shared
machine's cores does not stretch, where it stretches the wall-clock durations the Long Tasks
API reports (with those, this test failed whenever the machine was busy). A task is long if
it would exceed 50 ms on a CPU twice slower than this one: more than 25 ms of CPU here (the
definition the test had with Chromium's CPU throttled 2x and wall-clock long tasks). The
measurement can fail: on the same page, a task kept busy for 400 ms is reported as long.
What it cannot show on this machine: at 3,000 documents, scoring every candidate in one
task (``SLICE_MS`` = ∞) takes ~15 ms of CPU here, under the threshold too; the slices
matter on phones 4–8 times slower (docs/performance.md).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from conftest import CHROMIUM, CHROMIUM_ARGS
from search_bench import synthetic_records, write_site

from gongkai.search import build_search_files

pytestmark = pytest.mark.browser

#: 50 ms on a CPU twice slower than this machine's.
LONG_CPU_MS = 25
CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("longtask-site")
    write_site(root, build_search_files(synthetic_records(3000, body_chars=600)))
    return root


@pytest.fixture(scope="module")
def own_browser(browser):  # type: ignore[no-untyped-def]
    """A Chromium of this test's own: in a full run the shared one has served a hundred tests
    first, and its traces then held no task of the page's main thread long enough to see (the
    calibration below was not reported in CI, though it was in every run of this file alone)."""
    fresh = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield fresh
    fresh.close()


def main_thread_tasks(trace: bytes) -> list[dict[str, Any]]:
    """The ``RunTask`` events of the renderer's main thread(s) in a Chromium trace."""
    data = json.loads(trace)
    events = data["traceEvents"] if isinstance(data, dict) else data
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}
    return [e for e in events if e.get("name") == "RunTask" and e.get("ph") == "X" and (e["pid"], e["tid"]) in main]


def long_cpu_tasks(tasks: list[dict[str, Any]]) -> list[float]:
    """CPU milliseconds of the tasks over ``LONG_CPU_MS`` (every task must carry its thread time)."""
    assert tasks and all("tdur" in e for e in tasks), "the trace has no thread times"
    return sorted((round(e["tdur"] / 1000, 1) for e in tasks if e["tdur"] > LONG_CPU_MS * 1000), reverse=True)


def queries_long_tasks(browser, url: str) -> list[tuple[str, int, list[float]]]:  # type: ignore[no-untyped-def]
    """(query, results, CPU milliseconds of its long tasks) on a fresh page, then the
    calibration task's."""
    page = browser.new_page()
    try:
        page.goto(url)
        page.wait_for_function("window.GongkaiSearch && document.getElementById('search-results').dataset.state")
        page.wait_for_timeout(300)  # page load is over: only the queries' tasks are traced
        seen = []
        for query in QUERIES:
            browser.start_tracing(page=page, categories=CATEGORIES)
            # Typed and awaited inside the page, as a user submits the form.
            page.evaluate(SUBMIT_AND_WAIT, query)
            tasks = main_thread_tasks(browser.stop_tracing())
            seen.append((query, page.evaluate("window.GongkaiSearch.last.total"), long_cpu_tasks(tasks)))
        # The measurement works: a task that keeps the main thread busy for 400 ms of wall
        # time is reported. Not a loop of fixed work: V8 may compile such a loop into little
        # (Chromium 156 ran 3e7 iterations in under 25 ms of CPU); and 400 ms of wall time
        # holds more than 25 ms of CPU unless the renderer gets under 7 % of a core.
        browser.start_tracing(page=page, categories=CATEGORIES)
        page.evaluate(CALIBRATION)
        trace = browser.stop_tracing()
        tasks = main_thread_tasks(trace)
        longest = sorted((round(e.get("tdur", 0) / 1000, 1), round(e.get("dur", 0) / 1000, 1)) for e in tasks)[-3:]
        seen.append((f"(calibration: {len(tasks)} main-thread tasks, longest (CPU ms, wall ms) {longest})", 0,
                     long_cpu_tasks(tasks)))
        return seen
    finally:
        page.close()


QUERIES = ["公示", "社会救助 资金", "最低生活保障审核"]

CALIBRATION = """() => new Promise((done) => setTimeout(() => {
  const start = performance.now();
  let x = 0;
  while (performance.now() - start < 400) x += Math.sqrt(x + 1);
  done(x);
}, 0))"""

# Submit the query as the search form does and resolve 300 ms after its results are done.
SUBMIT_AND_WAIT = """(q) => new Promise((done) => {
  const results = document.getElementById("search-results");
  const observer = new MutationObserver(() => {
    const last = window.GongkaiSearch.last;
    if (results.dataset.state === "done" && last && last.query === q) {
      observer.disconnect();
      setTimeout(done, 300);
    }
  });
  observer.observe(results, { attributes: true });
  const input = document.querySelector("input[name=q]");
  input.value = q;
  input.form.requestSubmit();
})"""
ATTEMPTS = 3


def test_queries_run_without_long_tasks(own_browser, big_site: Path, serve_dir: Callable[[Path], str]) -> None:  # type: ignore[no-untyped-def]
    """Up to three fresh pages: CPU time hardly depends on the machine's load, but a garbage
    collection or a compilation may land in a task now and then; a task that is long by
    itself is long on every attempt. An attempt counts only if its calibration task was seen."""
    url = serve_dir(big_site) + "search.html"
    attempts, blind = [], []
    for _ in range(ATTEMPTS):
        seen = queries_long_tasks(own_browser, url)
        assert seen[0][1] > 1000, seen  # the common term: most documents are candidates
        assert all(total > 0 for _, total, _ in seen[:-1]), seen
        if not seen[-1][2]:
            blind.append(seen)
            continue
        attempts.append(seen[:-1])
        if all(tasks == [] for _, _, tasks in seen[:-1]):
            return
    assert attempts, f"the calibration task (400 ms busy) was not reported on any attempt: {blind}"
    pytest.fail(f"tasks over {LONG_CPU_MS} ms of CPU on every attempt: {attempts}")
