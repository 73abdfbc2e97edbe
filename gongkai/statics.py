"""The files copied into `site/` as they are: our assets and public attachments.

lunr.js is no longer copied: no page loads it (`search.js` computes lunr's BM25 itself,
docs/performance.md). `find_lunr` and `lunr_advice` remain for the build's check that lunr.js
is installed, which goes with the build engine's next change (the search no longer needs it).
"""

from __future__ import annotations

from pathlib import Path

from .models import Attribute
from .options import BuildOptions
from .output import SiteWriter
from .resources import assets_dir, installed, packaged_lunr

ASSETS = assets_dir()
LUNR_JS = Path("node_modules") / "lunr" / "lunr.js"
# The package ships a minified build of the same version: 70 KB less on every search page.
LUNR_MIN_JS = LUNR_JS.with_name("lunr.min.js")


def find_lunr(options: BuildOptions) -> Path | None:
    """The project's own node_modules/ first, then the copy in the wheel, then the checkout's."""
    for name in (LUNR_MIN_JS, LUNR_JS):
        if (options.project / name).is_file():
            return options.project / name
    shipped = packaged_lunr()
    if shipped is not None:
        return shipped
    for name in (LUNR_MIN_JS, LUNR_JS):
        if (Path(__file__).resolve().parent.parent / name).is_file():
            return Path(__file__).resolve().parent.parent / name
    return None


def lunr_advice() -> str:
    """How to get lunr.js: reinstall a broken wheel; `npm ci` only in a source checkout."""
    if installed():
        return "gongkai 安装不完整，请重新安装：pip install --force-reinstall gongkai"
    return "请在 gongkai 源码目录运行 npm ci 安装"


def static_files(site, lunr: Path | None = None) -> list[tuple[str, Path]]:  # type: ignore[no-untyped-def]
    """Our own CSS/JS and attachments of 主动公开 documents only: (path in site/, source file).
    ``lunr`` is not used (lunr.js is not copied any more); callers still pass it."""
    del lunr
    out = [(f"assets/{asset.name}", asset) for asset in sorted(ASSETS.iterdir()) if asset.is_file()]
    published: set[str] = set()
    for doc in site.public_documents.values():
        if doc.model.attribute is Attribute.ACTIVE:
            published.update(a.file.replace("\\", "/") for a in doc.model.attachments)
    out += [(rel, site.root / rel) for rel in sorted(published)]
    return out


def copy_static(site, writer: SiteWriter, lunr: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    for rel, source in static_files(site):
        writer.copy(rel, source)
