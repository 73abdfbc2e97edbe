"""Notice-board prints: A4 pages with QR codes that scan back to the online pages.

The QR codes are checked the way a villager's phone sees them: Chromium renders the print page
(print media) to PNG and zxing-cpp decodes every code in the picture.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from reachkit import (
    BASE,
    FILES,
    JINGTOU_CURRENT,
    NOTICES,
    ON_REQUEST_BODY,
    ON_REQUEST_TITLE,
    WITHHELD_BODY,
    WITHHELD_TITLE,
)


def _href(path: str) -> str:
    return quote(path, safe="/#?=&-._~")


def _title(doc_id: str) -> str:
    text = str(FILES.get(f"documents/{doc_id}.md") or "")
    match = re.search(r"^title: (.+)$", text, re.MULTILINE)
    return match.group(1) if match else "关于做好低保工作的通知"


@pytest.fixture
def site(built) -> Path:  # type: ignore[no-untyped-def]
    out, result = built(FILES, base_url=BASE)
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    return out


@pytest.fixture
def site_without_base(built) -> Path:  # type: ignore[no-untyped-def]
    out, result = built(FILES)
    assert result.ok
    return out


# ---------------------------------------------------------------------------
# PNG → pixels (no Pillow/numpy in the test extras: zlib and the PNG filters are enough)


def decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, []
    width = height = bpp = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and ctype in (2, 6), (depth, ctype, interlace)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    out = bytearray(height * stride)
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out[y * stride : (y + 1) * stride] = line
        prev = line
    return width, height, bpp, bytes(out)


def _read(png: bytes) -> list[str]:
    import zxingcpp

    width, height, bpp, pixels = decode_png(png)
    fmt = zxingcpp.ImageFormat.RGBA if bpp == 4 else zxingcpp.ImageFormat.RGB
    found = zxingcpp.read_barcodes(zxingcpp.ImageView(pixels, width, height, fmt), formats=zxingcpp.BarcodeFormat.QRCode)
    return [r.text for r in found]


def scan(browser, path: Path, whole_page: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    """Render a print page as printed (print media, A4 width) and decode its QR codes.

    `whole_page`: one screenshot of the whole page, every code decoded from it; otherwise a
    screenshot of each code's box as rendered on the page (faster to decode).
    """
    context = browser.new_context(viewport={"width": 794, "height": 1123}, device_scale_factor=2)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(path.resolve().as_uri())
    page.emulate_media(media="print")
    if whole_page:
        codes = _read(page.screenshot(full_page=True))
    else:
        boxes = page.locator("svg.qr")
        codes = [c for n in range(boxes.count()) for c in _read(boxes.nth(n).screenshot())]
    context.close()
    assert errors == []
    assert [u for u in requests if not u.startswith("file:")] == [], "a print page loaded something from elsewhere"
    assert len(requests) == 1, f"a print page must be one self-contained file, loaded {requests}"
    return codes


# ---------------------------------------------------------------------------


def test_prints_exist_for_notices_and_villages_only(site: Path) -> None:
    docs = {p.relative_to(site / "print/documents").with_suffix("").as_posix() for p in (site / "print/documents").rglob("*.html")}
    assert docs == NOTICES
    for slug in ("jingtou", "mudao"):
        assert (site / f"print/villages/{slug}.html").is_file()
        assert (site / f"print/posters/{slug}.html").is_file()


def test_prints_are_self_contained_and_deterministic(site: Path, built) -> None:  # type: ignore[no-untyped-def]
    before = {p: p.read_bytes() for p in sorted((site / "print").rglob("*.html"))}
    for path, data in before.items():
        html = data.decode("utf-8")
        assert "<script src" not in html and "<img" not in html and "<iframe" not in html, path
        assert 'rel="stylesheet"' not in html and "@import" not in html and "url(" not in html, path
        for attr in re.findall(r'<link[^>]*>', html):
            assert 'rel="canonical"' in attr, attr
        for href in re.findall(r'<a href="([^"]+)"', html):
            assert not href.startswith(("http:", "https:", "/")), (path, href)
            assert (path.parent / unquote(href)).resolve().is_file(), (path, href)
        assert html.count("<svg") >= 1
        assert "@page { size: A4" in html
    again, result = built(FILES, base_url=BASE)
    assert result.ok
    assert {p: p.read_bytes() for p in sorted((again / "print").rglob("*.html"))} == before


def test_withheld_never_printed_and_on_request_without_body(site: Path) -> None:
    for path in (site / "print").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert WITHHELD_TITLE not in html and WITHHELD_BODY not in html, path
        assert ON_REQUEST_BODY not in html, path
    html = (site / "print/documents/2026/yishenqing.html").read_text(encoding="utf-8")
    assert ON_REQUEST_TITLE in html and "此件可依申请公开" in html
    assert "请向永岁镇党政综合办公室提交书面申请" in html  # how to apply (site.yaml)
    assert "索引号" in html and "全文不在此公布" in html
    active = (site / "print/documents/2026/jingtou-gongshi.html").read_text(encoding="utf-8")
    assert "拟将以下农户纳入最低生活保障" in active and "公示期：2026-11-20 至 2026-12-01" in active
    assert "公示期内如有异议" in active
    expired = (site / "print/documents/2026/jingtou-old.html").read_text(encoding="utf-8")
    assert "已过公示期" in expired


def test_poster_lists_current_notices_only(site: Path) -> None:
    html = (site / "print/posters/jingtou.html").read_text(encoding="utf-8")
    cards = re.findall(r'<article class="card">.*?<h2><span class="kind">[^<]*</span>([^<]+)</h2>', html, re.DOTALL)
    assert sorted(cards) == sorted(_title(i) for i in JINGTOU_CURRENT)
    assert "井头村2026年5月低保初审对象公示" not in html  # expired
    assert "慕道村2026年11月低保初审对象公示" not in html  # another village
    assert "此件可依申请公开" in html  # the 依申请公开 notice: label, not a summary
    mudao = (site / "print/posters/mudao.html").read_text(encoding="utf-8")
    assert "慕道村2026年11月低保初审对象公示" in mudao and "井头村2026年11月" not in mudao


def test_site_pages_link_to_their_prints(site: Path) -> None:
    doc = (site / "documents/2026/jingtou-gongshi.html").read_text(encoding="utf-8")
    assert 'href="../../print/documents/2026/jingtou-gongshi.html"' in doc
    village = (site / "villages/jingtou.html").read_text(encoding="utf-8")
    assert 'href="../print/posters/jingtou.html"' in village
    assert 'href="../print/villages/jingtou.html"' in village


@pytest.mark.browser
def test_document_qr_codes_scan_to_the_online_page(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    for doc_id in ("2026/jingtou-gongshi", "2026/通知测试", "2026/yishenqing"):
        codes = scan(browser, site / "print/documents" / f"{doc_id}.html")
        assert codes == [BASE + _href(f"documents/{doc_id}.html")], doc_id


@pytest.mark.browser
def test_poster_qr_codes_scan_to_each_notice_and_the_village(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    codes = scan(browser, site / "print/posters/jingtou.html", whole_page=True)
    expected = {BASE + "villages/jingtou.html"} | {BASE + _href(f"documents/{i}.html") for i in JINGTOU_CURRENT}
    assert sorted(codes) == sorted(expected)
    assert scan(browser, site / "print/villages/mudao.html") == [BASE + "villages/mudao.html"]


@pytest.mark.browser
def test_without_base_url_the_code_carries_the_site_path_and_says_so(browser, site_without_base: Path) -> None:  # type: ignore[no-untyped-def]
    path = site_without_base / "print/documents/2026/jingtou-gongshi.html"
    assert scan(browser, path) == ["documents/2026/jingtou-gongshi.html"]
    html = path.read_text(encoding="utf-8")
    assert "本站尚未设置正式网址" in html and "documents/2026/jingtou-gongshi.html" in html
    poster = site_without_base / "print/posters/jingtou.html"
    assert "villages/jingtou.html" in scan(browser, poster)


@pytest.mark.browser
def test_print_is_a4(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto((site / "print/posters/jingtou.html").resolve().as_uri())
    pdf = page.pdf(prefer_css_page_size=True)
    page.close()
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes, "no pages in the PDF"
    for w, h in boxes:  # A4 = 595 x 842 pt
        assert abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2, (w, h)


@pytest.mark.browser
def test_example_town_posters_scan(browser, example_site: Path) -> None:  # type: ignore[no-untyped-def]
    for poster in sorted((example_site / "print/posters").glob("*.html")):
        html = poster.read_text(encoding="utf-8")
        cards = html.count('<article class="card">')
        codes = scan(browser, poster)
        assert len(codes) == cards + 1, poster.name
        # the example has a base_url: the codes are the village page's address on the web
        assert f"https://www.quanzhou.example/yongsui/villages/{poster.stem}.html" in codes
