"""Links to attachments download: the attachment list of a document page and links in its body
carry `download`, so a reader saves the file instead of opening it on the site's origin."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from sitekit import doc

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BODY = (
    "请查看[低保名单](../../attachments/2026/低保名单.pdf)和[说明](./../../attachments/2026/说明.pdf)。\n\n"
    "另见[上级文件](https://www.gov.cn/attachments/a.pdf)与[本站首页](../../index.html)。\n"
)
FILES = {
    "attachments/2026/低保名单.pdf": PDF,
    "attachments/2026/说明.pdf": PDF,
    "documents/2026/dibao.md": doc(
        body=BODY, attachments="\n  - {file: attachments/2026/低保名单.pdf, title: 2026年低保名单}\n  - attachments/2026/说明.pdf"),
}
NAME = quote("低保名单.pdf")


def test_attachment_list_and_body_links_download(built) -> None:  # type: ignore[no-untyped-def]
    site, result = built(FILES)
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    html = (site / "documents/2026/dibao.html").read_text(encoding="utf-8")
    listed = re.search(r'<section class="attachments">.*?</section>', html, re.DOTALL)
    assert listed is not None
    assert re.findall(r"<a [^>]*>", listed.group(0)) == [
        f'<a href="../../attachments/2026/{NAME}" download="低保名单.pdf">',
        f'<a href="../../attachments/2026/{quote("说明.pdf")}" download="说明.pdf">',
    ]
    body = html.split('<section class="attachments">')[0]
    assert '<a href="../../attachments/2026/低保名单.pdf" download rel="noopener noreferrer">低保名单</a>' in body
    assert '<a href="./../../attachments/2026/说明.pdf" download rel="noopener noreferrer">说明</a>' in body
    # other links are not downloads
    assert '<a href="https://www.gov.cn/attachments/a.pdf" rel="noopener noreferrer">上级文件</a>' in body
    assert '<a href="../../index.html" rel="noopener noreferrer">本站首页</a>' in body


def test_clicking_an_attachment_saves_it(built, page, serve_dir) -> None:  # type: ignore[no-untyped-def]
    """Over http:// (a web host). From file:// Chromium treats every file as its own origin and
    ignores `download`: it opens the PDF, which is why the types themselves must be inert."""
    site, result = built(FILES)
    assert result.ok
    page.goto(serve_dir(site) + "documents/2026/dibao.html")
    with page.expect_download() as info:
        page.locator("section.attachments a", has_text="2026年低保名单").click()
    download = info.value
    assert download.suggested_filename == "低保名单.pdf"
    assert Path(download.path()).read_bytes() == PDF
    assert page.url.endswith("documents/2026/dibao.html")  # the reader stays on the page
    assert page.js_errors == []
