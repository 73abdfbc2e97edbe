"""The search in a real browser: headless Chromium over file:// and over HTTP.

A tiny site is written into tmp_path: a search page with the script tags the site templates
use, search.js from templates/assets (lunr.js is not loaded: search.js scores itself), and the files of
``build_search_files``. Uses the shared ``browser``/``page``/``serve_dir`` fixtures of
tests/conftest.py (Chromium missing is a failure, not a skip).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from test_search_index import record, sample_records

from gongkai.search import SearchRecord, build_search_files

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent

SEARCH_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>搜索</title></head><body>
<header><form class="search-form" action="{rel}search.html" role="search">
<input name="q" type="search" aria-label="搜索本站"><button>搜索</button></form></header>
<main><h1>搜索</h1>
<select name="area" aria-label="领域"><option value="">全部领域</option></select>
<select name="village" aria-label="村（社区）"><option value="">全部村（社区）</option></select>
<select name="kind" aria-label="类别"><option value="">全部类别</option></select>
<select name="year" aria-label="年份"><option value="">全部年份</option></select>
<div id="search-results"></div></main>
<script src="{rel}assets/search.js" data-root="{rel}"></script>
<script src="{rel}search/meta.js"></script>
</body></html>
"""

# A page two folders down, like documents/2024/x.html: only the header form, no results.
DEEP_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>文件</title></head><body>
<form class="search-form" action="../../search.html"><input name="q" type="search"></form>
<p>正文</p>
<script src="../../assets/search.js" data-root="../../"></script>
<script src="../../search/meta.js"></script>
</body></html>
"""


def many_notices() -> list[SearchRecord]:
    """Enough 公示 documents for several result pages."""
    return [
        record(
            id=f"2021/gs-{i:02d}", url=f"documents/2021/gs-{i:02d}.html",
            title=f"第{i}批临时救助对象公示", kind="公示", date=f"2021-03-{i % 28 + 1:02d}",
            area="社会救助", area_slug="shjz", index_number=f"11450324MB1234567X/2021-{i:05d}",
            body=f"现将第{i}批临时救助对象予以公示，公示期5个工作日。",
        )
        for i in range(1, 24)
    ]


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search-site")
    (root / "assets").mkdir()
    shutil.copy(REPO / "templates" / "assets" / "search.js", root / "assets" / "search.js")
    (root / "search.html").write_text(SEARCH_PAGE.format(rel=""), encoding="utf-8")
    deep = root / "documents" / "2024"
    deep.mkdir(parents=True)
    (deep / "page.html").write_text(DEEP_PAGE, encoding="utf-8")
    (root / "documents" / "2022").mkdir()
    (root / "documents" / "2022" / "xczx-daolu.html").write_text(DEEP_PAGE, encoding="utf-8")
    files = build_search_files(sample_records() + many_notices(), shard_count=32, docs_per_chunk=4)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, site_dir: Path, serve_dir: Callable[[Path], str]) -> str:
    if request.param == "file":
        return site_dir.as_uri() + "/"
    return serve_dir(site_dir)


def wait_done(page, query: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        """(q) => {
            const c = document.getElementById('search-results');
            const last = window.GongkaiSearch && window.GongkaiSearch.last;
            return c && c.dataset.state === 'done' && last && last.query === q;
        }""",
        arg=query,
        timeout=15_000,
    )


def titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator(".search-result-title a").all_inner_texts()


def status(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".search-status").inner_text()


def search(page, query: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator("header input[name=q]")
    box.fill(query)
    box.press("Enter")
    wait_done(page, query)


def test_queries_from_the_url_and_typed(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "search.html?q=" + quote("低保"))
    wait_done(page, "低保")
    assert titles(page)[:2] == ["上坝村2023年第四季度低保审核信息公示", "井头村2024年第三季度最低生活保障审核信息公示"]
    assert status(page) == "找到 2 条结果。"
    assert page.locator(".search-result-title mark").first.inner_text() == "低保"
    assert page.locator(".search-status").get_attribute("aria-live") == "polite"

    search(page, "2024 低保")  # mixed digits and Chinese
    assert titles(page) == ["井头村2024年第三季度最低生活保障审核信息公示"]
    snippet = page.locator(".search-result-snippet").first.inner_html()
    assert "<mark>2024</mark>" in snippet and "<mark>低保</mark>" in snippet
    assert "q=2024+%E4%BD%8E%E4%BF%9D" in page.url or "q=2024%20%E4%BD%8E%E4%BF%9D" in page.url

    search(page, "永政发〔2024〕12号")  # a whole 文号
    assert titles(page)[0] == "井头村2024年第三季度最低生活保障审核信息公示"
    assert "<mark>永政发〔2024〕12号</mark>" in page.locator(".search-result-docno").first.inner_html()

    search(page, "村")  # one character
    assert len(titles(page)) >= 3

    search(page, "预算:x")  # would throw in lunr's query parser
    assert "永岁镇2024年财政预算公开" in titles(page)

    search(page, "预算:q")
    assert titles(page) == []
    assert status(page) == "没有找到与“预算:q”相关的信息。可以换用更短的关键词再试。"

    search(page, "：")
    assert titles(page) == []

    search(page, "保密措辞")  # body of a 依申请公开 document: never indexed
    assert titles(page) == []
    search(page, "特困人员")
    assert titles(page) == ["关于调整特困人员救助供养标准的通知"]
    assert page.locator(".search-result-attribute").first.inner_text() == "此件可依申请公开"
    assert page.js_errors == []


def test_links_filters_and_pages(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "search.html?q=" + quote("公示") + "&village=jingtou")
    wait_done(page, "公示")
    assert page.locator("select[name=village]").input_value() == "jingtou"
    assert sorted(titles(page)) == ["上坝村道路硬化工程项目公示", "井头村2024年第三季度最低生活保障审核信息公示"]
    href = page.locator(".search-result-title a").first.get_attribute("href")
    assert href and href.startswith("documents/") and href.endswith(".html")

    page.select_option("select[name=village]", "")
    page.select_option("select[name=year]", "2021")
    page.wait_for_function("document.querySelectorAll('.search-result').length === 10")
    wait_done(page, "公示")
    assert status(page) == "找到 23 条结果，第 1 / 3 页。"
    assert "year=2021" in page.url
    assert all("临时救助对象公示" in t for t in titles(page))

    # Keyboard: tab to the pager's 下一页 and press Enter.
    next_link = page.locator("a.search-pager-next")
    next_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.search-status').textContent.includes('第 2 / 3 页')")
    assert page.locator("a.search-pager-prev").inner_text() == "上一页"
    assert "page=2" in page.url
    assert page.locator("ol.search-results-list").get_attribute("start") == "11"
    options = page.locator("select[name=area] option").all_inner_texts()
    assert options == ["全部领域", "财政预决算", "社会救助", "乡村振兴"]
    assert page.js_errors == []


def test_form_on_a_deep_page_leads_to_results(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "documents/2024/page.html")
    page.fill("input[name=q]", "道路硬化")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*search\.html\?q=.*"))
    wait_done(page, "道路硬化")
    assert titles(page) == ["上坝村道路硬化工程项目公示"]
    page.locator(".search-result-title a").first.click()
    page.wait_for_url(re.compile(r".*documents/2022/xczx-daolu\.html$"))
    assert page.js_errors == []


def test_empty_query_prompts(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "search.html")
    page.wait_for_function("document.getElementById('search-results').dataset.state === 'empty'")
    assert "请输入要查找的关键词" in status(page)
    assert page.js_errors == []


def test_missing_index_file_is_reported_not_thrown(page, site_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken"
    shutil.copytree(site_dir, broken)
    shutil.rmtree(broken / "search" / "shards")
    page.goto((broken / "search.html").as_uri() + "?q=" + quote("低保"))
    page.wait_for_function("document.getElementById('search-results').dataset.state === 'error'")
    assert status(page) == "搜索索引加载失败，请刷新页面重试。"
    assert titles(page) == []
    assert page.js_errors == []
