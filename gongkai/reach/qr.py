"""QR codes as inline SVG (segno), identical bytes for identical input.

The SVG has no fixed size (a viewBox only), so CSS sets its printed size in millimetres; a white
quiet zone of four modules is part of the image, so a code on a coloured notice board still scans.

segno picks the best of eight masks in pure Python (a few milliseconds per code), which adds up
at county scale. Codes are made while a print page is rendered, by whichever render worker
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
import os
from collections.abc import Iterable
from pathlib import Path

import segno

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
            folder.mkdir(parents=True, exist_ok=True)
            tmp.write_text(svg, encoding="ascii")
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only cache folder only costs time
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
