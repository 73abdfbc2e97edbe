"""Issue 21: `gongkai serve` shows the build's warnings in the page without blocking it — a
folded banner in a corner, injected by the preview server only (never in site/), gone when the
warnings are fixed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sitekit import SITE_YAML, doc
from test_serve import DOC, serving
from test_serve import _settle as settle

from gongkai.diagnostics import warning
from gongkai.serve.http import inject, warnings_html
from gongkai.serve.state import Snapshot

LATE = doc(created="2026-01-05", published="2026-03-05")  # a late publication: one warning
WITH_BASE = SITE_YAML + "base_url: https://www.example.org/ys/\n"  # no QR-code warning


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[object]:
    yield from serving(tmp_path)


def test_banner_lists_every_warning_escaped_and_only_after_a_good_build() -> None:
    warns = (warning("content/a.md", 3, 5, "标题含<b>", "请改正"), warning("content/b.md", 1, 1, "第二个"))
    good = inject(b"<html><body><p>x</p></body></html>", Snapshot("v", 1, True, warning_items=warns), True).decode()
    assert good.index('<details id="gongkai-warnings"') < good.index("</body>")
    assert "⚠ 内容有 2 个警告（网站已生成，点此查看）" in good
    assert "<code style=\"color:#7a5c00\">content/a.md:3:5</code> 标题含&lt;b&gt;（请改正）" in good
    assert "<details id=\"gongkai-warnings\" open" not in good  # folded: the page stays readable
    failed = inject(b"<body></body>", Snapshot("v", 1, False, errors=(warning("x", 1, 1, "e"),), warning_items=warns), True)
    assert b"gongkai-warnings" not in failed  # the error overlay is what counts then
    clean = inject(b"<body></body>", Snapshot("v", 1, True), True)
    assert b"gongkai-warnings" not in clean
    many = warnings_html(Snapshot("v", 1, True, warning_items=tuple(warning("c.md", i, 1, "w") for i in range(1, 205))))
    assert "……还有 4 个警告" in many


def test_warnings_show_in_the_page_without_blocking_it(serve, page) -> None:  # type: ignore[no-untyped-def]
    s = serve({"site.yaml": WITH_BASE, DOC: LATE})
    page.goto(s.url + "index.html")
    banner = page.locator("#gongkai-warnings")
    assert banner.inner_text().strip() == "⚠ 内容有 1 个警告（网站已生成，点此查看）"
    assert page.locator("#gongkai-warnings li").first.is_visible() is False  # folded
    page.locator("#gongkai-warnings summary").click()
    text = page.locator("#gongkai-warnings li").first.inner_text()
    assert text.startswith("content/documents/2026/dibao.md:6:") and "超期公开" in text
    # the page under it works: a link in the page is clicked, not the banner
    page.get_by_role("link", name="关于做好低保工作的通知").first.click()
    page.wait_for_url("**/documents/2026/dibao.html")
    assert page.locator("h1").first.inner_text() == "关于做好低保工作的通知"
    built = list((s.root / "tmp").rglob("index.html"))  # the preview's own build folder (TMPDIR)
    assert built and all("gongkai-warnings" not in p.read_text(encoding="utf-8") for p in built)
    s.save(DOC, doc())  # fixed: no more warnings; the open tab reloads by itself, without the banner
    settle(s, page, 2, "!document.getElementById('gongkai-warnings')")
    assert page.js_errors == []
