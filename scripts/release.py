"""Cut a gongkai release: sdist and wheel in dist/, checked, tagged, optionally uploaded.

    python scripts/release.py                 # build dist/gongkai-X.tar.gz and the wheel, check them
    python scripts/release.py --tag           # … and make the annotated tag vX (if it is missing)
    python scripts/release.py --tag --upload  # … and upload to PyPI with twine (needs credentials)

The wheel is built from the sdist, as pip does for a source install, so a release proves that
the sdist alone (no node_modules, no npm needed) makes a complete wheel. The version comes from
pyproject.toml; CHANGELOG.md must have a section for it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGED = (
    "gongkai/data/templates/base.html",
    "gongkai/data/templates/assets/site.css",
    "gongkai/data/templates/assets/search.js",
    "gongkai/data/decap-cms/decap-cms.js",
)


def version() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["version"])


def fail(message: str) -> None:
    sys.exit(f"release: {message}")


#: Left out of the copy that is built: none of it goes into the sdist (MANIFEST.in), and some is big.
NOT_SOURCES = {".git", "node_modules", "benchmarks", "site", "build", "dist", "gongkai.egg-info", ".gongkai-cache"}


def _not_sources(folder: str, names: list[str]) -> set[str]:
    top = Path(folder).resolve() == ROOT
    return {n for n in names if n == "__pycache__" or n.endswith((".pyc", ".pyo")) or (top and n in NOT_SOURCES)}


def build(dist: Path) -> tuple[Path, Path]:
    dist.mkdir(parents=True, exist_ok=True)
    for old in dist.glob("gongkai-*"):
        old.unlink()
    # Build a copy of the checkout, from a scratch folder: `python -m build` in the checkout would
    # import our build.py, and setuptools writes into the source tree (gongkai.egg-info/, the
    # gongkai-X/ folder it tars), so two releases at once (two test workers) would trip on each other.
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "source"
        shutil.copytree(ROOT, source, ignore=_not_sources)
        subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
                       cwd=scratch, check=True)
    sdists = sorted(dist.glob("gongkai-*.tar.gz"))
    wheels = sorted(dist.glob("gongkai-*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        fail(f"expected one sdist and one wheel in {dist}, found {sdists + wheels}")
    return sdists[0], wheels[0]


def check(wheel: Path, sdist: Path, release: str) -> None:
    if not wheel.name.startswith(f"gongkai-{release}-"):
        fail(f"{wheel.name} is not version {release}")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in PACKAGED if name not in names]
    if missing:
        fail(f"{wheel.name} lacks {', '.join(missing)}")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    if not re.search(rf"^## \[?{re.escape(release)}\]?", changelog, re.MULTILINE):
        fail(f"CHANGELOG.md has no section for {release}")
    subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)],
                   check=True)


def tag(release: str) -> None:
    name = f"v{release}"
    known = subprocess.run(["git", "tag", "--list", name], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    if known:
        print(f"release: tag {name} exists")
        return
    subprocess.run(["git", "tag", "-a", name, "-m", f"gongkai {release}"], cwd=ROOT, check=True)
    print(f"release: tagged {name} (push it: git push origin {name})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (dist/)")
    parser.add_argument("--tag", action="store_true", help="make the annotated tag vVERSION")
    parser.add_argument("--upload", action="store_true", help="upload to PyPI with twine")
    args = parser.parse_args(argv)
    release = version()
    sdist, wheel = build(args.dist.resolve())
    check(wheel, sdist, release)
    print(f"release: {sdist.name}, {wheel.name} ok")
    if args.tag:
        tag(release)
    if args.upload:
        subprocess.run([sys.executable, "-m", "twine", "upload", str(sdist), str(wheel)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
