"""QR codes as inline SVG, identical bytes for identical input.

The symbol is made by zxing-cpp (its writer is libzint, C): about 0.3 ms a code, against ~3 ms
for a pure-Python encoder, which matters at county scale (~4,000 notice prints at 10,000
documents). Only the drawing is ours: the module matrix becomes one SVG path, a horizontal line
per run of dark modules, the way segno draws it.

The SVG has no fixed size (a viewBox only), so CSS sets its printed size in millimetres; a white
quiet zone of four modules is part of the image, so a code on a coloured notice board still scans.

Codes are made while a print page is rendered, by whichever render worker renders it, and
memoised per process (a village's print and poster share a code). A print page whose context is
unchanged is reused whole by the incremental build, so its codes are not even looked up. For the
builds that re-render every print (new code, templates or libraries), made codes are also kept
in a store: one small file per code in the build cache's folder, named by a hash of the encoded
text, written atomically by the process that made it (so forked workers need no coordination),
and pruned to the current build's codes by the main process. A stored code can never be stale:
the folder name carries the zxing-cpp version and our settings.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

import zxingcpp

#: Error correction M (15 %) survives creases and sun-bleached paper.
ERROR = "M"
BORDER = 4  # quiet zone, in modules
SETTINGS = "v2-m-b4"  # bump when the SVG below changes
STORE = f"qr-zxing{version('zxing-cpp')}-{SETTINGS}"  # folder name inside the build cache's folder

_MEMO: dict[str, str] = {}
_store_dir: Path | None = None
_DARK_RUN = re.compile(rb"\x00+")  # zxing-cpp's image: 0 = dark module, 255 = light


def make_svg(data: str) -> str:
    """`<svg class="qr">` of the QR code (error correction M) encoding `data`."""
    code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level=ERROR)
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    height, width = image.shape
    pixels = image.tobytes()
    lines = []
    for y in range(height):
        row = pixels[y * width : (y + 1) * width]
        for run in _DARK_RUN.finditer(row):
            lines.append(f"M{run.start() + BORDER} {y + BORDER}.5h{run.end() - run.start()}")
    size = width + 2 * BORDER
    return (
        '<svg shape-rendering="crispEdges" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr">'
        f'<path fill="#fff" d="M0 0h{size}v{size}h-{size}z"/>'
        f'<path stroke="#000" d="{"".join(lines)}"/></svg>'
    )


def terminal_text(data: str) -> str:
    """The QR code of `data` as text for a terminal: two modules per character (▀ ▄ █), dark on
    light with a quiet zone, so a phone can scan it off the screen (`gongkai serve` on the LAN)."""
    code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level=ERROR)
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    height, width = image.shape
    pixels = image.tobytes()
    pad = 2

    def dark(x: int, y: int) -> bool:
        x, y = x - pad, y - pad
        return 0 <= x < width and 0 <= y < height and pixels[y * width + x] == 0

    # light modules are printed as blocks (terminals are usually dark): the code reads inverted-safe
    glyphs = {(False, False): "█", (False, True): "▀", (True, False): "▄", (True, True): " "}
    rows = []
    for y in range(0, height + 2 * pad, 2):
        rows.append("".join(glyphs[(dark(x, y), dark(x, y + 1))] for x in range(width + 2 * pad)))
    return "\n".join(rows)


def qr_svg(data: str) -> str:
    """Inline `<svg class="qr">` encoding `data` (deterministic; memoised, and kept in the store)."""
    svg = _MEMO.get(data)
    if svg is None:
        svg = _MEMO[data] = _stored(data) or _store(data, make_svg(data))
    return svg


def use_store(folder: Path | None) -> None:
    """Keep made codes in `folder` (None: nowhere). Set per build, before the workers fork; the
    memo starts empty, so every code a build uses passes through its store."""
    global _store_dir
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            folder = None  # a read-only cache folder only costs time
    _store_dir = folder
    _MEMO.clear()


def _name(data: str) -> str:
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest() + ".svg"


def _stored(data: str) -> str | None:
    folder = _store_dir
    if folder is None:
        return None
    try:
        svg = (folder / _name(data)).read_text(encoding="ascii")
    except (OSError, ValueError):
        return None
    return svg if svg.startswith("<svg ") and svg.endswith("</svg>") else None


def _store(data: str, svg: str) -> str:
    folder = _store_dir
    if folder is not None:
        target = folder / _name(data)
        tmp = folder / f".{target.name}.{os.getpid()}.tmp"
        try:
            tmp.write_text(svg, encoding="ascii")
            os.replace(tmp, target)
        except OSError:
            pass
    return svg


def prune_store(keep: Iterable[str]) -> None:
    """Delete stored codes for anything but `keep` (this build's targets), so the store never grows."""
    folder = _store_dir
    if folder is None:
        return
    wanted = {_name(t) for t in keep}
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name not in wanted:
            try:
                (folder / name).unlink()
            except OSError:
                pass
