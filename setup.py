"""Build hook: put the templates, our CSS/JS and lunr.js into the wheel as `gongkai/data/`.

`templates/` stays at the repository top level (the layout users edit); lunr.js comes from the
npm package at build time (`npm ci` is run here if `node_modules/` is missing; without npm the
tarball package-lock.json pins is fetched from the npm registry and its sha512 checked) and is
never committed. Everything else is in pyproject.toml.
"""

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LUNR = ROOT / "node_modules" / "lunr"


def lunr_from_lock() -> tuple[str, str]:
    """(version, sha512 integrity) of lunr as package-lock.json pins it."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"]["node_modules/lunr"]
    return entry["version"], entry["integrity"]


def fetch_lunr(target: Path) -> Path:
    """Without npm: download the pinned tarball from the npm registry and verify its integrity.

    This keeps a build from the sdist or from git Python-only; the bytes are the same ones
    `npm ci` would install (package-lock.json's sha512 is checked before anything is used).
    """
    version, integrity = lunr_from_lock()
    algorithm, _, expected = integrity.partition("-")
    registry = os.environ.get("npm_config_registry", "https://registry.npmjs.org/").rstrip("/")
    url = f"{registry}/lunr/-/lunr-{version}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            blob = response.read()
    except OSError as err:
        sys.exit(f"gongkai build: lunr.js is missing, npm is not installed and {url} could not be "
                 f"fetched ({err}): install Node.js (npm) and run `npm ci` in {ROOT}")
    digest = base64.b64encode(hashlib.new(algorithm, blob).digest()).decode()
    if digest != expected:
        sys.exit(f"gongkai build: {url} does not match the integrity in package-lock.json")
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        for name in ("lunr.min.js", "LICENSE"):
            member = tar.extractfile(f"package/{name}")
            assert member is not None
            (target / name).write_bytes(member.read())
    return target


def ensure_lunr(scratch: Path) -> Path:
    if (LUNR / "lunr.min.js").is_file():
        return LUNR
    npm = shutil.which("npm")
    if npm is None:
        return fetch_lunr(scratch)
    subprocess.run([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    if not (LUNR / "lunr.min.js").is_file():
        sys.exit(f"gongkai build: npm ci did not install {LUNR / 'lunr.min.js'}")
    return LUNR


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # a checkout uses templates/ and node_modules/ where they are
        data = Path(self.build_lib) / "gongkai" / "data"
        if data.exists():
            shutil.rmtree(data)
        shutil.copytree(ROOT / "templates", data / "templates")
        with tempfile.TemporaryDirectory() as scratch:
            lunr = ensure_lunr(Path(scratch))
            (data / "lunr").mkdir(parents=True)
            for name in ("lunr.min.js", "LICENSE"):
                shutil.copy2(lunr / name, data / "lunr" / name)


setup(cmdclass={"build_py": BuildWithData})
