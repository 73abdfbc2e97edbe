"""Build hook: put the templates, our CSS/JS, lunr.js and decap-cms into the wheel as
`gongkai/data/`.

`templates/` stays at the repository top level (the layout users edit); lunr.js and decap-cms
(the web editor of `gongkai cms`) come from the npm packages at build time (`npm ci` is run here
if `node_modules/` is missing) and are never committed. Everything else is in pyproject.toml.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LUNR = ROOT / "node_modules" / "lunr"
DECAP = ROOT / "node_modules" / "decap-cms" / "dist"


def ensure_lunr() -> Path:
    if not (LUNR / "lunr.min.js").is_file() or not (DECAP / "decap-cms.js").is_file():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("gongkai build: lunr.js is missing and npm is not installed: install Node.js "
                     "(npm) and run `npm ci` in " + str(ROOT))
        subprocess.run([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    if not (LUNR / "lunr.min.js").is_file():
        sys.exit(f"gongkai build: npm ci did not install {LUNR / 'lunr.min.js'}")
    if not (DECAP / "decap-cms.js").is_file():
        sys.exit(f"gongkai build: npm ci did not install {DECAP / 'decap-cms.js'}")
    return LUNR


def decap_files() -> list[Path]:
    """The files a browser loads (bundle, chunks, wasm, licence): as `gongkai.resources.decap_files`."""
    return sorted(p for p in DECAP.iterdir() if p.is_file() and (
        p.name in ("decap-cms.js", "decap-cms.js.LICENSE.txt") or p.name.endswith(".decap-cms.js")
        or p.suffix == ".wasm"))


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # a checkout uses templates/ and node_modules/ where they are
        data = Path(self.build_lib) / "gongkai" / "data"
        if data.exists():
            shutil.rmtree(data)
        shutil.copytree(ROOT / "templates", data / "templates")
        lunr = ensure_lunr()
        (data / "lunr").mkdir(parents=True)
        for name in ("lunr.min.js", "LICENSE"):
            shutil.copy2(lunr / name, data / "lunr" / name)
        (data / "decap-cms").mkdir(parents=True)
        for source in decap_files():
            shutil.copy2(source, data / "decap-cms" / source.name)


setup(cmdclass={"build_py": BuildWithData})
