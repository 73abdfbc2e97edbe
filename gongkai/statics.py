"""The files copied into `site/` as they are: our assets and public attachments.

lunr.js is neither copied nor needed: no page loads it (`search.js` computes lunr's BM25 itself,
docs/performance.md), so a build needs no npm package.
"""

from __future__ import annotations

from pathlib import Path

from .output import SiteWriter
from .resources import assets_dir

ASSETS = assets_dir()


def static_files(site) -> list[tuple[str, Path]]:  # type: ignore[no-untyped-def]
    """Our own CSS/JS and attachments of 主动公开 documents only: (path in site/, source file)."""
    from .models import (
        Attribute,  # here: a build with nothing to do never loads the models (`stamp.py`)
    )

    out = [(f"assets/{asset.name}", asset) for asset in sorted(ASSETS.iterdir()) if asset.is_file()]
    published: set[str] = set()
    for doc in site.public_documents.values():
        if doc.model.attribute is Attribute.ACTIVE:
            published.update(a.file.replace("\\", "/") for a in doc.model.attachments)
    out += [(rel, site.root / rel) for rel in sorted(published)]
    return out


def copy_static(site, writer: SiteWriter) -> None:  # type: ignore[no-untyped-def]
    for rel, source in static_files(site):
        writer.copy(rel, source)
