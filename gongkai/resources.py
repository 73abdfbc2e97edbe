"""Where gongkai's own files are: templates, our CSS/JS and decap-cms.

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


def template_dirs(custom: Path | None) -> list[Path]:
    """A town's own templates (if any) override the built-in ones file by file."""
    builtin = templates_dir().resolve()
    dirs = []
    if custom is not None and custom.is_dir() and custom.resolve() != builtin:
        dirs.append(custom)
    dirs.append(builtin)
    return dirs


def assets_dir() -> Path:
    return templates_dir() / "assets"


DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"


def decap_dist(project: Path) -> Path | None:
    """decap-cms's dist/ folder: the project's node_modules/, then the wheel's copy, then the
    checkout's node_modules/."""
    for candidate in (project / DECAP_DIST, PACKAGED / "decap-cms", SOURCE_TREE / DECAP_DIST):
        if (candidate / "decap-cms.js").is_file():
            return candidate
    return None


def decap_files(dist: Path) -> list[Path]:
    """The files of decap-cms a browser loads: the bundle, its lazily loaded chunks and wasm, and
    the licence notice (no source maps, not the React-less `cms.js` build)."""
    return sorted(p for p in dist.iterdir() if p.is_file() and (
        p.name in ("decap-cms.js", "decap-cms.js.LICENSE.txt") or p.name.endswith(".decap-cms.js")
        or p.suffix == ".wasm"))
