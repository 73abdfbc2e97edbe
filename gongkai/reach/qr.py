"""QR codes as inline SVG (segno), identical bytes for identical input.

The SVG has no fixed size (a viewBox only), so CSS sets its printed size in millimetres; a white
quiet zone of four modules is part of the image, so a code on a coloured notice board still scans.

segno picks the best of eight masks in pure Python, module by module: about half of the 2.7 ms a
code takes. `_best_mask` below scores the masks with whole-row operations (a row as one integer
or bytes object: XOR for masking, a regex for runs, bit counts for blocks and dark modules) by
exactly segno's rules, so it picks the same mask and the SVG bytes are the same (checked against
segno itself by tests/test_qr.py); it replaces segno's function only for the segno version it
mirrors. Codes are made while a print page is rendered, by whichever render worker
renders it, and memoised per process (a village's print and poster share a code). A print page
whose context is unchanged is reused whole by the incremental build, so its codes are not even
looked up. For the builds that re-render every print (new code, templates or libraries), made
codes are also kept in a store: one small file per code in the build cache's folder, named by a
hash of the encoded text, written atomically by the process that made it (so forked workers need
no coordination), and pruned to the current build's codes by the main process. A stored code
can never be stale: the folder name carries the segno version and our settings.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import segno
from segno import encoder as _encoder

#: Error correction M (15 %) survives creases and sun-bleached paper; segno raises it for free
#: when the chosen version has room (boost_error), which is deterministic.
ERROR = "m"
SETTINGS = "v1-m-b4"  # bump when the SVG below changes
STORE = f"qr-segno{segno.__version__}-{SETTINGS}"  # folder name inside the build cache's folder

_MEMO: dict[str, str] = {}
_store_dir: Path | None = None


def make_svg(data: str) -> str:
    code = segno.make_qr(data, error=ERROR)
    buf = io.BytesIO()
    code.save(
        buf, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, border=4,
        dark="#000", light="#fff", svgclass="qr", lineclass=None,
    )
    svg = buf.getvalue().decode("ascii")
    # Crisp module edges at any scale; the code is described by the caption next to it.
    return svg.replace("<svg ", '<svg shape-rendering="crispEdges" aria-hidden="true" focusable="false" ', 1)


# -- mask selection: segno 1.6.6's evaluation (encoder.find_and_apply_best_mask, mask_scores) ----

class Layout(NamedTuple):
    """Per symbol size. Lines are handled as big integers with a byte per module: one row, or
    all rows (or all columns) joined by a separator byte."""

    masks: list[list[int]]  # per mask, per row: 1 where it flips a module of the encoding region
    ones: int  # a row of ones
    inner: int  # a row of ones but its first module
    lines_inner: int  # all lines joined: 1 on every module but the first of its line


_FINDER_LIKE = b"\x01\x00\x01\x01\x01\x00\x01"  # N3: 1:1:3:1:1
_LAYOUTS: dict[int, Layout] = {}
_SEGNO_BEST_MASK = _encoder.find_and_apply_best_mask


def _layout(width: int) -> Layout:
    found = _LAYOUTS.get(width)
    if found is None:
        function = _encoder.make_matrix(width, width)
        _encoder.add_finder_patterns(function, width, width)
        _encoder.add_alignment_patterns(function, width, width)
        function[-8][8] = 0x1
        masks = [
            [int.from_bytes(bytes(1 if function[i][j] > 0x1 and fn(i, j) else 0 for j in range(width)), "big")
             for i in range(width)]
            for fn in _encoder.get_data_mask_functions(False)
        ]
        line = b"\x00" + b"\x01" * (width - 1)
        found = _LAYOUTS[width] = Layout(
            masks, int.from_bytes(b"\x01" * width, "big"), int.from_bytes(line, "big"),
            int.from_bytes(b"\x00".join([line] * width), "big"),
        )
    return found


def _runs(lines: bytes, layout: Layout) -> int:
    """segno's N1 over every line: a run of n ≥ 5 equal modules scores n - 2, which is its number
    of 5-module windows plus 2 for the first one."""
    x = int.from_bytes(lines, "big")
    same = (x ^ (x >> 8) ^ layout.lines_inner) & layout.lines_inner  # equal to the module before
    window = same & (same >> 8) & (same >> 16) & (same >> 24)  # last of five equal modules
    first = window & ~(window >> 8)
    return window.bit_count() + 2 * first.bit_count()


def _finder_like(lines: bytes, size: int) -> int:
    """segno's N3 over every line in `lines` (lines of `size` modules, one separator between)."""
    count = 0
    step = size + 1
    idx = lines.find(_FINDER_LIKE)
    while idx != -1:
        start = idx - idx % step
        seq, pos = lines[start : start + size], idx - start
        offset = pos + 7
        if pos in (0, size - 7) or not any(seq[max(pos - 4, 0) : min(pos, size)]) \
                or not any(seq[max(offset, 0) : min(offset + 4, size)]):
            count += 40
        else:
            offset = pos + 4
        idx = lines.find(_FINDER_LIKE, start + offset)
    return count


def _scores(rows: list[int], size: int, layout: Layout) -> tuple[int, int, int, int]:
    """(N1, N2, N3, N4) of a masked symbol, exactly as segno's `mask_scores` counts them."""
    by_row = b"\x02".join([r.to_bytes(size, "big") for r in rows])
    by_col = b"\x02".join([by_row[j :: size + 1] for j in range(size)])
    n1 = _runs(by_row, layout) + _runs(by_col, layout)
    ones, inner = layout.ones, layout.inner
    n2 = 0
    for above, row in itertools.pairwise(rows):  # 2×2 blocks of one colour
        n2 += ((above ^ (above >> 8) ^ ones) & (row ^ (row >> 8) ^ ones) & (above ^ row ^ ones) & inner).bit_count()
    n3 = _finder_like(by_row, size) + _finder_like(by_col, size)
    percent = float(sum(r.bit_count() for r in rows)) / (size**2)
    return n1, 3 * n2, n3, 10 * int(abs(percent * 100 - 50) / 5)


def _best_mask(matrix: Any, width: int, height: int, proposed_mask: int | None = None) -> tuple[int, Any]:
    """segno's `find_and_apply_best_mask` for QR Codes (lowest penalty, first mask on ties)."""
    if proposed_mask is not None or width != height or width < 21 or any(max(row) > 1 for row in matrix):
        return _SEGNO_BEST_MASK(matrix, width, height, proposed_mask)
    layout = _layout(width)
    plain = [int.from_bytes(row, "big") for row in matrix]
    best, best_score, best_rows = 0, -1, plain
    for number, mask in enumerate(layout.masks):
        rows = [p ^ m for p, m in zip(plain, mask)]
        score = sum(_scores(rows, width, layout))
        if best_score < 0 or score < best_score:
            best, best_score, best_rows = number, score, rows
    return best, tuple(bytearray(r.to_bytes(width, "big")) for r in best_rows)


if segno.__version__ == "1.6.6":  # the version whose evaluation `_best_mask` mirrors
    _encoder.find_and_apply_best_mask = _best_mask


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
