"""The site's icon, drawn at build time (no committed image): a red seal-like square with a
white frame and a white bar, as favicon.ico (one 32×32 PNG inside an ICO) and favicon.svg.

Browsers ask for `/favicon.ico` at the host root whatever the page says; pages also link
`favicon.svg`/`favicon.ico` relative to the site root, so a town hosted under a sub-path or
read from a USB stick (file://) gets its icon too."""

from __future__ import annotations

import struct
import zlib

BRAND = (0xB3, 0x12, 0x1B)  # --brand in site.css
WHITE = (0xFF, 0xFF, 0xFF)
SIZE = 32


def _pixel(x: int, y: int) -> tuple[int, int, int, int]:
    """Rounded red square; white frame 4 px in; a white horizontal bar in the middle."""
    radius = 5
    dx = max(radius - x, x - (SIZE - 1 - radius), 0)
    dy = max(radius - y, y - (SIZE - 1 - radius), 0)
    if dx * dx + dy * dy > radius * radius:
        return (0, 0, 0, 0)  # outside a rounded corner
    frame = 4 <= x <= SIZE - 5 and 4 <= y <= SIZE - 5 and not (7 <= x <= SIZE - 8 and 7 <= y <= SIZE - 8)
    bar = 11 <= x <= SIZE - 12 and 14 <= y <= 17
    return (*WHITE, 255) if frame or bar else (*BRAND, 255)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png() -> bytes:
    rows = b"".join(b"\x00" + bytes(c for x in range(SIZE) for c in _pixel(x, y)) for y in range(SIZE))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 9))
            + _chunk(b"IEND", b""))


def ico() -> bytes:
    """An ICO holding one PNG (read by every browser since IE 9)."""
    image = png()
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 22) + image


def svg() -> str:
    red = "#" + bytes(BRAND).hex()
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
            f'<rect width="32" height="32" rx="6" fill="{red}"/>'
            '<rect x="5.5" y="5.5" width="21" height="21" fill="none" stroke="#fff" stroke-width="3"/>'
            '<rect x="11" y="14" width="10" height="4" fill="#fff"/></svg>\n')


FILES = {"favicon.ico": ico, "favicon.svg": lambda: svg().encode("utf-8")}
