"""No long task on the main thread while a query runs, at a few thousand documents.

The Long Tasks API (PerformanceObserver ``longtask``: any task over 50 ms) records in headless
Chromium, its CPU slowed twice, while queries are submitted on the search page of a 3,000-document index of the
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
        # A slower CPU (twice slower: at Lighthouse's 4x, the shared machine's own stalls make
        # long tasks of nearly anything).
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 2})
        page.goto(url)
        page.wait_for_function("window.GongkaiSearch && document.getElementById('search-results').dataset.state")
        page.wait_for_timeout(500)  # page load is over: only the queries' tasks are watched
        seen = []
        for query in QUERIES:
            # Typed and awaited inside the page: Playwright's own locators and polling run
            # scripts in the page that are long tasks themselves on a slowed CPU.
            page.evaluate(SUBMIT_AND_WAIT, query)
            page.evaluate("window.__watch = false")
            seen.append((query, page.evaluate("window.GongkaiSearch.last.total"), page.evaluate("window.__longTasks.splice(0)")))
        # A control: 40 tasks of 5 ms each. Long tasks here mean the machine itself stalls
        # tasks (another process holding the CPU), and the attempt cannot tell.
        page.evaluate("""() => new Promise((done) => {
            window.__watch = true;
            let n = 0;
            const step = () => {
                const t = performance.now();
                while (performance.now() - t < 5) {}
                if (++n < 40) setTimeout(step, 0); else setTimeout(done, 200);
            };
            setTimeout(step, 0);
        })""")
        page.evaluate("window.__watch = false")
        seen.append(("(control)", 0, page.evaluate("window.__longTasks.splice(0)")))
        # The observer works: a deliberate 120 ms task is reported.
        page.evaluate("window.__watch = true; setTimeout(() => { const t = performance.now(); while (performance.now() - t < 120) {} }, 0)")
        page.wait_for_timeout(400)
        assert len(page.evaluate("window.__longTasks")) == 1
        return seen
    finally:
        page.close()


QUERIES = ["公示", "社会救助 资金", "最低生活保障审核"]

# Submit the query as the search form does and resolve 300 ms after its results are done (a
# long task is reported after it ends), watching long tasks meanwhile.
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
  window.__watch = true;
  const input = document.querySelector("input[name=q]");
  input.value = q;
  input.form.requestSubmit();
})"""
ATTEMPTS = 5


def test_queries_run_without_long_tasks(browser, big_site: Path, serve_dir: Callable[[Path], str]) -> None:  # type: ignore[no-untyped-def]
    """Up to five fresh pages, each with a control (short tasks only) after the queries: the
    development machine is shared, and another process taking the CPU mid-task stretches it
    past 50 ms; a task that is long by itself is long on every attempt (with the work in one
    task, the common term's query has long tasks every time), a stall of the machine shows in
    the control too."""
    url = serve_dir(big_site) + "search.html"
    attempts = []
    for _ in range(ATTEMPTS):
        seen = queries_long_tasks(browser, url)
        assert seen[0][1] > 1000, seen  # the common term: most documents are candidates
        assert all(total > 0 for _, total, _ in seen[:-1]), seen
        attempts.append(seen)
        if all(tasks == [] for _, _, tasks in seen):
            return
    stalled = sum(1 for seen in attempts if seen[-1][2])
    pytest.fail(f"long tasks on every attempt ({stalled} of {ATTEMPTS} with long tasks in the control too: "
                f"the machine is too busy to tell): {attempts}")
