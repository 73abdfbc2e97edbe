"""Printing a reading page: assets/print.css (linked media="print" from every reading page)
gives black on white on A4 whatever the screen settings, drops the site's chrome, prints
wide tables whole and the address of outside links."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

BUDGET = Path("documents") / "2024" / "yusuan-2024.html"  # a document with wide tables


def test_every_reading_page_links_the_print_style_for_print_only(example_site: Path) -> None:
    pages = [p for p in example_site.rglob("*.html") if p.relative_to(example_site).parts[0] != "print"
             and p.name not in ("404.html", "apply-form.html")]  # the A4 form, like the sheets, inlines its own
    for path in pages:
        text = path.read_text(encoding="utf-8")
        root = "../" * (len(path.relative_to(example_site).parts) - 1)
        assert f'<link rel="stylesheet" href="{root}assets/print.css" media="print">' in text, path
    assert (example_site / "assets" / "print.css").is_file()
    # the notice-board sheets carry their own style inline, and never the reading-page one
    sheet = next((example_site / "print").rglob("*.html")).read_text(encoding="utf-8")
    assert "assets/print.css" not in sheet and "@page { size: A4" in sheet
    form = (example_site / "apply-form.html").read_text(encoding="utf-8")
    assert "assets/print.css" not in form and "@page { size: A4" in form


@pytest.mark.parametrize("remembered", [False, True], ids=["default", "high-contrast-largest-font"])
def test_printed_document_is_black_on_white_without_chrome_and_tables_whole(browser, example_site: Path, remembered: bool) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    if remembered:
        context.add_init_script("localStorage.setItem('gongkai-contrast', 'high'); localStorage.setItem('gongkai-font', '2')")
    pg = context.new_page()
    pg.goto((example_site / BUDGET).resolve().as_uri())
    screen_nav = pg.locator(".nav").is_visible()
    pg.emulate_media(media="print")
    style = pg.evaluate("""() => { const b = getComputedStyle(document.body);
        return [b.color, b.backgroundColor, getComputedStyle(document.documentElement).fontSize]; }""")
    hidden = {sel: pg.locator(sel).first.is_visible() for sel in (".nav", ".masthead .tools", ".masthead .search-form", ".footer", ".crumbs")}
    boxes = pg.evaluate("""[...document.querySelectorAll('.table-scroll')].map(b =>
        [getComputedStyle(b).overflowX, getComputedStyle(b, '::before').content])""")
    address = pg.locator(".print-only").first.is_visible()
    pdf = pg.pdf(format="A4")
    context.close()
    assert screen_nav  # on screen the menu is there
    assert style == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "16px"]  # 12pt
    assert not any(hidden.values()), hidden
    assert boxes and all(b == ["visible", "none"] for b in boxes), boxes
    assert address
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1


def test_outside_links_print_their_address(browser, built) -> None:  # type: ignore[no-untyped-def]
    from sitekit import doc

    site, result = built({"documents/2026/link.md": doc("关于转发省里通知的通知", body="详见[省民政厅网站](https://mzt.example.gov.cn/a.html)。\n")})
    assert result.ok
    context = browser.new_context()
    pg = context.new_page()
    pg.goto((site / "documents/2026/link.html").resolve().as_uri())
    pg.emulate_media(media="print")
    after = pg.evaluate("getComputedStyle(document.querySelector('.body a'), '::after').content")
    context.close()
    assert "https://mzt.example.gov.cn/a.html" in after
