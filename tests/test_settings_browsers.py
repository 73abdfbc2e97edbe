"""The reading settings (font size, high contrast) survive page changes — chosen with a real
click, carried over by following real links — in Firefox ESR (Debian's, driven over WebDriver
BiDi, see tests/bidi.py) and Chromium, from file:// and over HTTP, also where a browser gives
each page its own storage or none; and a search shows results in Firefox from file://."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bidi import FIREFOX, Firefox

pytestmark = pytest.mark.browser

# home → a nav link (another folder) → a document two folders down, by clicking links
WALK = ("nav.nav a[href$='catalog/index.html']", "main a[href*='items/']", "main a[href*='documents/']")
# Each page load gets a fresh, empty storage: what the issue saw in Firefox from file://.
PER_PAGE_STORAGE = """(() => { const data = {}; const store = {
    getItem: k => (k in data ? data[k] : null), setItem: (k, v) => { data[k] = String(v); },
    removeItem: k => { delete data[k]; }, clear: () => {}, key: () => null, length: 0 };
  Object.defineProperty(window, 'localStorage', { get: () => store, configurable: true }); })()"""
NO_STORAGE = """Object.defineProperty(window, 'localStorage', { get: () => { throw new DOMException('denied', 'SecurityError'); } })"""
STATE = "[document.documentElement.getAttribute('data-font'), document.documentElement.getAttribute('data-contrast'), getComputedStyle(document.documentElement).fontSize]"


@pytest.fixture(scope="module")
def firefox_factory() -> Iterator[type[Firefox]]:
    if not Path(FIREFOX).exists():
        pytest.fail(f"{FIREFOX} is missing: run `bash scripts/setup.sh --test` (installs Debian's firefox-esr)")
    yield Firefox


def firefox_walk(ff: Firefox, start: str) -> list[list[str]]:
    ff.goto(start)
    ff.click("button[data-font='1']")
    ff.click("button[data-font='1']")
    ff.click("button[data-contrast]")
    seen = []
    for link in WALK:
        before = ff.evaluate("location.href")
        ff.click(link)
        ff.wait_for(f"location.href !== {before!r} && document.readyState === 'complete' && !!document.querySelector('footer')")
        seen.append(ff.evaluate(STATE))
    return seen


@pytest.mark.parametrize("storage", ["default", "storage-off"])
def test_firefox_from_file_keeps_font_size_and_contrast_across_pages(firefox_factory, example_site: Path, storage: str) -> None:  # type: ignore[no-untyped-def]
    prefs = {"dom.storage.enabled": False} if storage == "storage-off" else {}
    ff = firefox_factory(prefs=prefs)
    try:
        if storage == "storage-off":  # the browser really gives no storage here
            ff.goto((example_site / "index.html").resolve().as_uri())
            assert ff.evaluate("(() => { try { return window.localStorage === null; } catch (e) { return true; } })()")
        seen = firefox_walk(ff, (example_site / "index.html").resolve().as_uri())
        assert ff.evaluate("location.href").startswith("file://") and "/documents/" in ff.evaluate("location.href")
    finally:
        ff.close()
    assert seen == [["2", "high", "26px"]] * len(WALK)


def test_firefox_over_http_keeps_font_size_across_pages(firefox_factory, example_site: Path, serve_dir) -> None:  # type: ignore[no-untyped-def]
    base = serve_dir(example_site)
    ff = firefox_factory()
    try:
        seen = firefox_walk(ff, base + "index.html")
        ff.goto(base + "villages/index.html")  # typed into the address bar: storage, not the tab
        assert ff.evaluate(STATE)[:2] == ["2", "high"]
    finally:
        ff.close()
    assert seen == [["2", "high", "26px"]] * len(WALK)


def test_firefox_from_file_search_shows_results(firefox_factory, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    ff = firefox_factory()
    try:
        ff.goto((example_site / "documents" / "index.html").resolve().as_uri())
        ff.click("#q-top")
        ff.type_text("高龄津贴")
        ff.click(".masthead .search-form button[type=submit]")
        ff.wait_for("location.pathname.endsWith('/search.html') && document.readyState === 'complete'")
        count = ff.wait_for("document.querySelectorAll('#search-results li').length")
        titles = ff.evaluate("[...document.querySelectorAll('#search-results li a')].map(a => a.textContent)")
        # the first result opens its document
        ff.click("#search-results li a")
        ff.wait_for("location.pathname.includes('/documents/') && document.readyState === 'complete'")
        opened = ff.evaluate("document.querySelector('h1').textContent")
    finally:
        ff.close()
    assert count >= 1 and any("高龄津贴" in t for t in titles), titles
    assert "高龄津贴" in opened


@pytest.mark.parametrize("where", ["file", "http"])
@pytest.mark.parametrize("storage", ["shared", "per-page", "refused"])
def test_chromium_keeps_font_size_and_contrast_across_pages(browser, example_site: Path, serve_dir, where: str, storage: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if storage != "shared":
        context.add_init_script(PER_PAGE_STORAGE if storage == "per-page" else NO_STORAGE)
    pg = context.new_page()
    start = (example_site / "index.html").resolve().as_uri() if where == "file" else serve_dir(example_site) + "index.html"
    pg.goto(start)
    pg.get_by_role("button", name="A+ 放大字号").click()
    pg.get_by_role("button", name="A+ 放大字号").click()
    pg.get_by_role("button", name="高对比度").click()
    seen = []
    for link in WALK:
        with pg.expect_navigation():
            pg.locator(link).first.click()
        seen.append(pg.evaluate(STATE))
    assert pg.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    # back to the first page: it shows the settings too (not a stale copy)
    pg.go_back()
    pg.go_back()
    pg.go_back()
    pg.wait_for_load_state()
    back = pg.evaluate(STATE)
    context.close()
    assert seen == [["2", "high", "26px"]] * len(WALK)
    assert back[:2] == ["2", "high"]


def test_another_scripts_window_name_is_left_alone(browser, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    context.add_init_script("if (!window.name) window.name = 'someone-else'")
    pg = context.new_page()
    pg.goto((example_site / "index.html").resolve().as_uri())
    pg.get_by_role("button", name="A+ 放大字号").click()
    assert pg.evaluate("window.name") == "someone-else"
    assert pg.evaluate("localStorage.getItem('gongkai-font')") == "1"
    context.close()
