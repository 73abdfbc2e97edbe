"""Build hook: put the templates, our CSS/JS and decap-cms into the wheel as `gongkai/data/`.

`templates/` stays at the repository top level (the layout users edit); decap-cms (the web
editor of `gongkai cms`) comes from its npm package at build time and is never committed: from
`node_modules/` (`npm ci` is run here if it is missing), or, without npm, from the tarball
package-lock.json pins, fetched from the npm registry and checked against its sha512. lunr.js is
not in the wheel: no page loads it and the build does not need it. Everything else is in
pyproject.toml.
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
NODE_MODULES = ROOT / "node_modules"
# package → a file that shows it is installed
NEEDED = {"decap-cms": "dist/decap-cms.js"}


def locked(name: str) -> tuple[str, str]:
    """(version, sha512 integrity) of an npm package as package-lock.json pins it."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][f"node_modules/{name}"]
    return entry["version"], entry["integrity"]


def fetch(name: str, target: Path) -> Path:
    """Without npm: download the pinned tarball from the npm registry and verify its integrity.

    This keeps a build from the sdist or from git Python-only; the bytes are the same ones
    `npm ci` would install (package-lock.json's sha512 is checked before anything is used).
    """
    version, integrity = locked(name)
    algorithm, _, expected = integrity.partition("-")
    registry = os.environ.get("npm_config_registry", "https://registry.npmjs.org/").rstrip("/")
    url = f"{registry}/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            blob = response.read()
    except OSError as err:
        sys.exit(f"gongkai build: {name} is missing, npm is not installed and {url} could not be "
                 f"fetched ({err}): install Node.js (npm) and run `npm ci` in {ROOT}")
    digest = base64.b64encode(hashlib.new(algorithm, blob).digest()).decode()
    if digest != expected:
        sys.exit(f"gongkai build: {url} does not match the integrity in package-lock.json")
    folder = target / name
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if not member.isfile() or parts[0] != "package" or ".." in parts:
                continue
            out = folder.joinpath(*parts[1:])
            out.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None
            out.write_bytes(source.read())
    return folder


def packages(scratch: Path) -> dict[str, Path]:
    """Where each needed npm package is: node_modules/ (after `npm ci`), or fetched into scratch."""
    if all((NODE_MODULES / name / marker).is_file() for name, marker in NEEDED.items()):
        return {name: NODE_MODULES / name for name in NEEDED}
    npm = shutil.which("npm")
    if npm is None:
        return {name: fetch(name, scratch) for name in NEEDED}
    subprocess.run([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    for name, marker in NEEDED.items():
        if not (NODE_MODULES / name / marker).is_file():
            sys.exit(f"gongkai build: npm ci did not install {NODE_MODULES / name / marker}")
    return {name: NODE_MODULES / name for name in NEEDED}


def decap_files(dist: Path) -> list[Path]:
    """The files a browser loads (bundle, chunks, wasm, licence): as `gongkai.resources.decap_files`."""
    return sorted(p for p in dist.iterdir() if p.is_file() and (
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
        with tempfile.TemporaryDirectory() as scratch:
            found = packages(Path(scratch))
            (data / "decap-cms").mkdir(parents=True)
            for source in decap_files(found["decap-cms"] / "dist"):
                shutil.copy2(source, data / "decap-cms" / source.name)


setup(cmdclass={"build_py": BuildWithData})
