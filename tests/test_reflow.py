"""Every page of the example town reflows on a phone (320 px, 360 px, the largest font) and at
1280 px with 200 % zoom, without sideways scrolling; wide tables scroll inside their own box.

200 % zoom is emulated as a 640 px CSS viewport at deviceScaleFactor 2: that is exactly what
browser zoom does to layout (the CSS px width halves, media queries see 640 px), whereas CSS
`zoom` on <html> leaves the viewport width and media queries unchanged and so tests less.
`print/` pages are excluded: they are A4 notice sheets (for the village bulletin board), laid
out for paper, never linked as reading pages for a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Elements sticking out on the right that are not inside their own scrolling box.
CULPRITS = """() => { const W = document.documentElement.clientWidth; const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.getBoundingClientRect().right <= W + 0.5) continue;
    let boxed = false;
    for (let a = e.parentElement; a; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') { boxed = true; break; }
    if (!boxed) out.push(e.tagName + '.' + e.className);
  } return out.slice(0, 5); }"""

# (viewport width, device scale factor, font step set with the A+ button or None)
SETTINGS = [(320, 2, None), (360, 2, None), (360, 2, "2"), (320, 2, "1"), (640, 2, None)]


def reading_pages(site: Path) -> list[Path]:
    pages = sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "print")
    kinds = {p.relative_to(site).parts[0] for p in pages}
    # every page kind is walked: home, catalog, area, item, document, village, listings,
    # consultations, guides, search, 404, apply, open data
    assert {"index.html", "catalog", "items", "documents", "villages", "kinds", "years",
            "consultations", "guides", "search.html", "404.html", "apply.html", "data"} <= kinds
    return pages


def sample_pages(site: Path, per_kind: int = 3) -> list[Path]:
    """Each page kind, up to `per_kind` pages of it, preferring the largest (longest tables and
    titles) so the shared 2-core CI stays quick; the table test below walks every page."""
    by_kind: dict[tuple[str, ...], list[Path]] = {}
    for path in reading_pages(site):
        parts = path.relative_to(site).parts
        # a folder holds pages of one kind; each page at the top (home, search, 404, apply,
        # the guide, systems, annual reports) is a kind of its own
        by_kind.setdefault(parts[:-1] if len(parts) > 1 else parts, []).append(path)
    chosen = []
    for paths in by_kind.values():
        chosen += sorted(paths, key=lambda p: (-p.stat().st_size, p))[:per_kind]
    return sorted(chosen)


@pytest.mark.parametrize(("width", "scale", "font"), SETTINGS)
def test_no_page_scrolls_sideways(browser, example_site: Path, width: int, scale: int,
                                  font: str | None) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    if font:
        context.add_init_script(f"localStorage.setItem('gongkai-font', '{font}')")
    pg = context.new_page()
    bad = {}
    for path in sample_pages(example_site):
        pg.goto(path.resolve().as_uri())
        if font:
            assert pg.locator("html").get_attribute("data-font") == font
        overflow = pg.evaluate(OVERFLOW)
        if overflow > 0:
            bad[str(path.relative_to(example_site))] = (overflow, pg.evaluate(CULPRITS))
    context.close()
    assert not bad, f"scroll sideways at {width}px (font {font}): {bad}"


def test_phone_tables_scroll_in_their_box_with_a_hint_and_keep_names_whole(browser, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    pg = context.new_page()
    pages = [p for p in reading_pages(example_site) if "<table" in p.read_text(encoding="utf-8")]
    checked = 0
    for path in pages:
        pg.goto(path.resolve().as_uri())
        for box in pg.locator(".body table, table.catalog").all():
            parent = box.locator("xpath=..")
            assert parent.get_attribute("class") == "table-scroll", f"{path}: table not boxed"
            assert parent.get_attribute("tabindex") == "0"  # keyboard users can scroll it
            hint = parent.evaluate("e => getComputedStyle(e, '::before').content")
            assert "左右滑动查看" in hint, f"{path}: no scroll hint ({hint})"
            # no cell with a name-length text is narrower than three characters
            narrow = box.evaluate("""t => [...t.querySelectorAll('td, th')].filter(c => {
                const text = c.textContent.trim(); if (text.length < 3) return false;
                const em = parseFloat(getComputedStyle(c).fontSize);
                return c.clientWidth < 3 * em; }).map(c => c.textContent.trim()).slice(0, 3)""")
            assert not narrow, f"{path}: cells squeezed below 3 characters: {narrow}"
            checked += 1
    context.close()
    assert checked >= 10


def test_desktop_hides_the_hint_and_gives_catalog_columns_room(page, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((example_site / "catalog" / "index.html").resolve().as_uri())
    box = page.locator(".table-scroll").first
    assert box.evaluate("e => getComputedStyle(e, '::before').content") == "none"
    widths = page.locator("table.catalog").first.evaluate(
        "t => [...t.tBodies[0].rows[0].cells].map(c => c.getBoundingClientRect().width)")
    em = page.evaluate("parseFloat(getComputedStyle(document.querySelector('table.catalog')).fontSize)")
    assert min(widths[1:]) >= 4 * em, f"catalog columns too narrow: {widths}"


def test_item_channels_wrap_and_area_bullets_clear_links(browser, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    pg = context.new_page()
    item = next((example_site / "items").glob("*.html"))
    pg.goto(item.resolve().as_uri())
    channels = pg.locator("dd.channels")
    box = channels.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    assert box["height"] > 2 * pg.evaluate("parseFloat(getComputedStyle(document.querySelector('dd.channels')).lineHeight)")
    pg.set_viewport_size({"width": 1280, "height": 900})
    pg.goto((example_site / "catalog" / "index.html").resolve().as_uri())
    # a list marker drawn inside its item never reaches into the previous link
    overlaps = pg.evaluate("""() => { const links = [...document.querySelectorAll('.toc a')];
        return links.slice(1).filter((a, i) => { const prev = links[i].getBoundingClientRect();
          const li = a.parentElement.getBoundingClientRect();
          return Math.abs(li.top - prev.top) < 2 && li.left < prev.right; }).length; }""")
    assert overlaps == 0
    assert pg.evaluate("getComputedStyle(document.querySelector('.toc li')).listStylePosition") == "inside"
    context.close()


def test_phone_menu_shows_every_section(browser, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 320, "height": 740}, device_scale_factor=2)
    pg = context.new_page()
    pg.goto((example_site / "index.html").resolve().as_uri())
    hidden = pg.evaluate("""() => [...document.querySelectorAll('.nav a')].filter(a => {
        const r = a.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth; })
        .map(a => a.textContent)""")
    assert hidden == []
    assert pg.locator(".nav a").count() >= 6
    context.close()
