"""QR codes as inline SVG (segno), identical bytes for identical input.

The SVG has no fixed size (a viewBox only), so CSS sets its printed size in millimetres; a white
quiet zone of four modules is part of the image, so a code on a coloured notice board still scans.

segno picks the best of eight masks in pure Python (a few milliseconds per code), which adds up
at county scale. `prepare()` therefore makes every code a build needs up front: from a
content-addressed file cache (`.gongkai-cache/qr-*.json` beside the content folder, or
`$GONGKAI_CACHE_DIR`; off with `$GONGKAI_NO_CACHE`), and the rest on every core. A cached code
can never be stale: the key is the encoded text, and the file name carries the segno version
and our settings.
"""

from __future__ import annotations

import io
import json
import multiprocessing as mp
import os
from collections.abc import Iterable
from pathlib import Path

import segno

#: Error correction M (15 %) survives creases and sun-bleached paper; segno raises it for free
#: when the chosen version has room (boost_error), which is deterministic.
ERROR = "m"
SETTINGS = "v1-m-b4"  # bump when the SVG below changes
PARALLEL_MIN = 64

_MEMO: dict[str, str] = {}


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
    """Inline `<svg class="qr">` encoding `data` (deterministic; memoised per process)."""
    svg = _MEMO.get(data)
    if svg is None:
        svg = _MEMO[data] = make_svg(data)
    return svg


def cache_file(content_root: Path) -> Path | None:
    """Where the QR cache lives (the build cache's folder), or None when caching is off."""
    if os.environ.get("GONGKAI_NO_CACHE"):
        return None
    env = os.environ.get("GONGKAI_CACHE_DIR")
    folder = Path(env) if env else content_root.resolve().parent / ".gongkai-cache"
    return folder / f"qr-segno{segno.__version__}-{SETTINGS}.json"


def _load(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(path: Path | None, codes: dict[str, str]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(codes, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only project folder only costs time


def prepare(targets: Iterable[str], cache: Path | None, jobs: int = 0) -> None:
    """Make the codes for `targets` ready for `qr_svg` (cache, then all cores for the rest).

    The cache file is rewritten with exactly this build's codes, so it never grows stale.
    """
    wanted = sorted(set(targets))
    stored = _load(cache)
    missing = [t for t in wanted if t not in _MEMO and t not in stored]
    for t in wanted:
        if t not in _MEMO and t in stored and isinstance(stored[t], str):
            _MEMO[t] = stored[t]
    jobs = jobs or os.cpu_count() or 1
    if len(missing) >= PARALLEL_MIN and jobs > 1 and "fork" in mp.get_all_start_methods():
        with mp.get_context("fork").Pool(min(jobs, 32)) as pool:
            made = pool.map(make_svg, missing, chunksize=max(1, len(missing) // (jobs * 4)))
        _MEMO.update(zip(missing, made))
    else:
        for t in missing:
            qr_svg(t)
    if missing or set(stored) != set(wanted):
        _save(cache, {t: _MEMO[t] for t in wanted})
