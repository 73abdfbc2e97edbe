"""A reader clicks through the example town in headless Chromium, from file:// (a kiosk PC)
and over http:// (a web host)."""

from __future__ import annotations

from pathlib import Path

import pytest


def _open(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "zh-CN"


@pytest.mark.parametrize("transport", ["file", "http"])
def test_home_area_item_document(page, example_site: Path, serve_dir, transport: str) -> None:  # type: ignore[no-untyped-def]
    base = example_site.resolve().as_uri() + "/" if transport == "file" else serve_dir(example_site)
    _open(page, base + "index.html")
    assert "政务公开" in page.title()
    page.get_by_role("link", name="社会救助").first.click()
    assert page.locator("h1").inner_text() == "社会救助"
    assert page.locator("table.catalog th", has_text="公开渠道和载体").count() == 1
    # the first item of the area that has published documents
    rows = page.locator("table.catalog tbody tr")
    target = None
    for i in range(rows.count()):
        if not rows.nth(i).locator("td").last.inner_text().startswith("0 件"):
            target = rows.nth(i)
            break
    assert target is not None, "社会救助 has no item with documents in the example content"
    target.locator("td").nth(2).locator("a").click()
    assert page.locator("h2", has_text="已发布的信息").count() == 1
    page.locator("ul.doclist a").first.click()
    assert page.locator(".attribute-label").inner_text() in ("此件公开发布", "此件可依申请公开")
    assert page.locator("table.docmeta th", has_text="索引号").count() == 1
    assert page.js_errors == []


@pytest.mark.parametrize("transport", ["file", "http"])
def test_home_village_notice(page, example_site: Path, serve_dir, transport: str) -> None:  # type: ignore[no-untyped-def]
    base = example_site.resolve().as_uri() + "/" if transport == "file" else serve_dir(example_site)
    _open(page, base + "index.html")
    page.locator("nav[aria-label=主导航]").get_by_role("link", name="村务公开").click()
    assert page.locator("h1").inner_text() == "村务公开"
    page.get_by_role("link", name="井头村").first.click()
    assert page.locator("h1").inner_text() == "井头村"
    notice = page.locator("section.keyarea ul.doclist a, ul.doclist a").first
    title = notice.inner_text()
    notice.click()
    assert page.locator("h1").inner_text() == title
    assert page.locator(".villages a", has_text="井头村").count() >= 1 or "井头村" in page.content()
    assert page.js_errors == []


def test_reading_settings_work_offline(page, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    _open(page, example_site.resolve().as_uri() + "/index.html")
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="放大字号").click()
    bigger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert bigger > size
    page.get_by_role("button", name="高对比度").click()
    assert page.locator("html").get_attribute("data-contrast") == "high"
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(0, 0, 0)"
    page.reload()  # remembered on this device
    assert page.locator("html").get_attribute("data-contrast") == "high"


def test_phone_width_has_no_horizontal_scroll(browser, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    pg = context.new_page()
    for rel in ("index.html", "villages/jingtou.html", "guides/index.html"):
        pg.goto((example_site / rel).resolve().as_uri())
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{rel} scrolls sideways on a 360 px phone ({overflow}px)"
    context.close()


def test_keyboard_reaches_search_and_navigation(page, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    _open(page, example_site.resolve().as_uri() + "/index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    focused = []
    for _ in range(20):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.getAttribute('name') || document.activeElement.textContent"))
    assert "q" in focused and "公开目录" in focused


def test_search_page_form_is_compact_on_phone_and_desktop(browser, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        pg = context.new_page()
        pg.goto((example_site / "search.html").resolve().as_uri())
        box = pg.locator("#q").bounding_box()
        assert box is not None and box["height"] < 80, f"query box {box} at {width}px"
        context.close()
