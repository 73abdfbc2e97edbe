"""The search page of the example town does not shift its layout when results arrive.

Measured in real Chromium with the Layout Instability API (the numbers Lighthouse's CLS sums),
on phone- and desktop-sized viewports, over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("viewport", [{"width": 412, "height": 823}, {"width": 1350, "height": 940}])
def test_results_arrive_without_layout_shift(  # type: ignore[no-untyped-def]
    browser, example_site: Path, serve_dir: Callable[[Path], str], viewport: dict[str, int],
) -> None:
    base = serve_dir(example_site)
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.add_init_script(RECORD_SHIFTS)
        page.goto(base + "search.html?q=" + quote("低保"))
        page.wait_for_function("document.querySelectorAll('.search-result').length > 0")
        page.wait_for_timeout(300)  # let a late shift be recorded
        shifts = page.evaluate("window.__shifts")
        assert sum(shifts) < 0.01, shifts
    finally:
        context.close()
