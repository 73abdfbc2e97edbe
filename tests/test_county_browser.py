"""The county in headless Chromium from file://: county home → township → document and back,
and search across the townships, with and without the township filter."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from countykit import build, make


@pytest.fixture(scope="module")
def county_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make(tmp_path_factory.mktemp("cb") / "repo")
    out = root.parent / "site"
    assert build(root, out).ok
    return out


def results(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.wait_for_function("document.getElementById('search-results').dataset.state === 'done'")
    return page.eval_on_selector_all(".search-result-title a", "els => els.map(e => e.getAttribute('href'))")


def test_county_home_to_township_to_document(page, county_site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((county_site / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "全州县基层政务公开"
    page.locator(".county-town h2 a", has_text="青溪镇").click()
    page.wait_for_url(re.compile(r".*/qingxi/index\.html$"))
    assert "青溪镇" in page.locator(".brand").inner_text()
    first = page.locator("main a[href^='documents/'][href$='.html']:not([href$='index.html'])").first
    title = first.inner_text().strip()
    first.click()
    page.wait_for_url(re.compile(r".*/qingxi/documents/.+\.html$"))
    assert page.locator("h1").inner_text().strip() == title
    page.locator(".frame-bar a", has_text="全州县基层政务公开").click()
    page.wait_for_url(re.compile(r".*/site/index\.html$"))
    latest = page.locator(".county-town[data-town='yongsui'] ul a").first
    title = latest.inner_text().strip()
    latest.click()
    page.wait_for_url(re.compile(r".*/yongsui/documents/.+\.html$"))
    assert page.locator("h1").inner_text().strip() == title
    assert page.js_errors == []


def test_search_across_townships_and_within_one(page, county_site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((county_site / "index.html").as_uri())
    page.fill("#q-top", "公示")
    page.press("#q-top", "Enter")
    page.wait_for_url(re.compile(r".*/site/search\.html\?q=.*"))
    hrefs = results(page)
    assert {h.split("/")[0] for h in hrefs} == {"yongsui", "qingxi"}  # both townships in one result list
    towns = page.eval_on_selector_all(".search-result", """els => els.map(e => [
        e.querySelector('.search-result-title a').getAttribute('href').split('/')[0],
        e.querySelector('.search-result-meta .search-result-town').textContent])""")
    assert towns and all(name == {"yongsui": "永岁镇", "qingxi": "青溪镇"}[slug] for slug, name in towns)
    status = page.locator(".search-status").inner_text()
    total = int(re.search(r"找到 (\d+) 条结果", status).group(1))
    # the township filter: the same query within 青溪镇's own section
    page.select_option("select[name=town]", "qingxi")
    page.click("form[data-county-search] button[type=submit]")
    page.wait_for_url(re.compile(r".*/qingxi/search\.html\?q=.*"))
    within = results(page)
    assert within and all(not h.startswith(("yongsui", "qingxi")) for h in within)  # township-relative links
    part = int(re.search(r"找到 (\d+) 条结果", page.locator(".search-status").inner_text()).group(1))
    assert 0 < part < total
    page.locator(".search-result-title a").first.click()
    page.wait_for_url(re.compile(r".*/qingxi/documents/.+\.html$"))
    # a result of the county search opens the township's document
    page.goto((county_site / "search.html").as_uri() + "?q=" + quote("公示"))
    yong = [h for h in results(page) if h.startswith("yongsui/")]
    assert yong
    page.locator(f".search-result-title a[href='{yong[0]}']").click()
    page.wait_for_url(re.compile(r".*/yongsui/documents/.+\.html$"))
    assert page.js_errors == []


def test_town_link_in_the_url_filters(page, county_site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((county_site / "search.html").as_uri() + "?q=" + quote("公示") + "&town=yongsui&kind=" + quote("公示"))
    page.wait_for_url(re.compile(r".*/yongsui/search\.html\?q=.*kind=.*"))
    hrefs = results(page)
    assert hrefs and all(h.startswith("documents/") for h in hrefs)
    assert page.js_errors == []


def test_county_pages_fit_a_phone_and_the_bar_is_reached_by_keyboard(browser, county_site: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        for rel in ("index.html", "search.html", "yongsui/index.html", "qingxi/catalog/index.html"):
            page.goto((county_site / rel).as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, rel
        page.goto((county_site / "yongsui/index.html").as_uri())
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "跳到正文"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "全州县基层政务公开"
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/site/index\.html$"))
    finally:
        context.close()
