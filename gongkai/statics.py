"""The files copied into `site/` as they are: our assets, lunr.js and public attachments."""

from __future__ import annotations

from pathlib import Path

from .models import Attribute
from .options import BuildOptions
from .output import SiteWriter

ASSETS = Path(__file__).resolve().parent.parent / "templates" / "assets"
LUNR_JS = Path("node_modules") / "lunr" / "lunr.js"
# The package ships a minified build of the same version: 70 KB less on every search page.
LUNR_MIN_JS = LUNR_JS.with_name("lunr.min.js")


def find_lunr(options: BuildOptions) -> Path | None:
    for base in (options.project, Path(__file__).resolve().parent.parent):
        for name in (LUNR_MIN_JS, LUNR_JS):
            candidate = base / name
            if candidate.is_file():
                return candidate
    return None


def static_files(site, lunr: Path) -> list[tuple[str, Path]]:  # type: ignore[no-untyped-def]
    """Our own CSS/JS, lunr.js from node_modules, and attachments of 主动公开 documents only:
    (path in site/, source file)."""
    out = [(f"assets/{asset.name}", asset) for asset in sorted(ASSETS.iterdir()) if asset.is_file()]
    out.append(("assets/lunr.js", lunr))
    published: set[str] = set()
    for doc in site.public_documents.values():
        if doc.model.attribute is Attribute.ACTIVE:
            published.update(a.file.replace("\\", "/") for a in doc.model.attachments)
    out += [(rel, site.root / rel) for rel in sorted(published)]
    return out


def copy_static(site, writer: SiteWriter, lunr: Path) -> None:  # type: ignore[no-untyped-def]
    for rel, source in static_files(site, lunr):
        writer.copy(rel, source)
