"""Where gongkai's own files are: templates, our CSS/JS and lunr.js.

An installed wheel holds them in `gongkai/data/` (copied there by `setup.py` at build time); a
source checkout (editable install) uses the repository's `templates/` and `node_modules/`.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PACKAGED = PACKAGE / "data"  # only in a built wheel
SOURCE_TREE = PACKAGE.parent  # the repository, for a checkout


def installed() -> bool:
    """True when the templates come from the wheel, not from a source checkout."""
    return (PACKAGED / "templates").is_dir()


def templates_dir() -> Path:
    return PACKAGED / "templates" if installed() else SOURCE_TREE / "templates"


def assets_dir() -> Path:
    return templates_dir() / "assets"


def packaged_lunr() -> Path | None:
    """lunr.js shipped in the wheel, if any."""
    candidate = PACKAGED / "lunr" / "lunr.min.js"
    return candidate if candidate.is_file() else None
