"""QR codes: zxing-cpp makes the symbol, gongkai draws it; every drawing decodes to its text.

The SVG path is read back into modules here (each ``M x y.5 h n`` is a run of dark modules),
scaled up into a picture and decoded by zxing-cpp's reader, so a mistake in the drawing (an off
by one, a lost run, no quiet zone) fails. ``tests/test_prints.py`` also decodes the codes of real
print pages rendered by Chromium.
"""

from __future__ import annotations

import random
import re

import pytest
import zxingcpp

from gongkai.reach import qr

RUN = re.compile(r"M(\d+) (\d+)\.5h(\d+)")
SCALE = 4


def modules(svg: str) -> tuple[int, list[list[bool]]]:
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    grid = [[False] * size for _ in range(size)]
    path = re.search(r'<path stroke="#000" d="([^"]*)"', svg).group(1)  # type: ignore[union-attr]
    assert RUN.sub("", path) == "", "only horizontal runs"
    for x, y, n in RUN.findall(path):
        for i in range(int(n)):
            assert not grid[int(y)][int(x) + i], "runs never overlap"
            grid[int(y)][int(x) + i] = True
    return size, grid


def decode(svg: str) -> list[str]:
    size, grid = modules(svg)
    rows = bytearray()
    for row in grid:
        line = bytes(0 if dark else 255 for dark in row for _ in range(SCALE))
        rows += line * SCALE
    pixels = bytes(rows)  # kept alive: the view does not own its buffer
    view = zxingcpp.ImageView(pixels, size * SCALE, size * SCALE, zxingcpp.ImageFormat.Lum)
    return [b.text for b in zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)]


def samples() -> list[str]:
    rng = random.Random(4)
    out = [
        "https://yongsui.example.gov.cn/documents/2024/shjz-dibao-q3.html",
        "documents/2024/shjz-dibao-q3.html",
        "villages/jingtou.html",
        "https://example.gov.cn/%E6%B0%B8%E5%B2%81%E9%95%87/" + "x" * 120,
        "a",
    ]
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789/-._~%:"
    out += ["https://" + "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 250))) for _ in range(40)]
    return out


@pytest.mark.parametrize("text", samples())
def test_every_code_decodes_to_its_text(text: str) -> None:
    svg = qr.make_svg(text)
    assert decode(svg) == [text]


def test_quiet_zone_and_markup() -> None:
    svg = qr.make_svg("https://yongsui.example.gov.cn/index.html")
    size, grid = modules(svg)
    border = [grid[y][x] for y in range(size) for x in range(size) if min(x, y, size - 1 - x, size - 1 - y) < qr.BORDER]
    assert not any(border), "four light modules around the symbol"
    assert svg.startswith('<svg shape-rendering="crispEdges" aria-hidden="true" focusable="false" ')
    assert 'class="qr"' in svg and "width=" not in svg and svg.endswith("</svg>")


def test_same_text_same_bytes() -> None:
    text = "https://yongsui.example.gov.cn/documents/2024/shjz-dibao-q3.html"
    assert qr.make_svg(text) == qr.make_svg(text)
    assert qr.make_svg(text) != qr.make_svg(text + "?")
